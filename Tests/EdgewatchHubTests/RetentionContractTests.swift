import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPromQL
import EdgewatchWire
import Testing

/// Retention on SQLite and a real PostgreSQL alike: raw samples past their time become 1 m
/// summaries, those become 1 h summaries, each tier's time counted from `now`.
@Suite struct RetentionContractTests {
    static let start: Int64 = 1_800_000_000_000 / 3_600_000 * 3_600_000
    static let gauge = SeriesKey(name: "temperature_celsius", labels: [:], type: .gauge)

    /// A raw batch of the gauge (value: seconds since `start` / 10) at `times`.
    func raw(_ node: String, _ sequence: Int64, _ times: [Int64]) -> UplinkBatch {
        UplinkBatch(
            node: node,
            stream: "metrics/raw/60s",
            sequence: sequence,
            tier: .raw,
            points: [(key: Self.gauge, points: times.map { ($0, [Double(($0 - Self.start) / 10_000)]) })],
            columns: 1
        )
    }

    /// Raw batches of one minute each, a sample every 10 s, over `[from, to)`.
    func ingestMinutes(_ storage: any HubStorage, node: String, from: Int64, to: Int64) throws {
        for minute in stride(from: from, to: to, by: 60_000) {
            #expect(try storage.ingest(raw(node, minute, Array(stride(from: minute, to: minute + 60_000, by: 10_000))), receivedAt: 0))
        }
    }

    func points(_ storage: any HubStorage, node: String) throws -> [Point] {
        let series = try storage.select(
            [LabelMatcher(name: "node", operation: .equal, value: node)],
            start: Self.start,
            end: Self.start + 4 * 3_600_000
        )
        return series.first?.points ?? []
    }

    @Test(arguments: HubStorageBackend.available)
    func rawBecomesMinutesThenHours(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = Self.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            try ingestMinutes(storage, node: "n1", from: start, to: start + 4 * 3_600_000)
            var policy = RetentionPolicy()
            (policy.raw, policy.minute, policy.hour) = (3_600_000, 2 * 3_600_000, 0)
            let now = start + 4 * 3_600_000
            let partial = try storage.retain(policy: policy, now: now, budget: 5)
            #expect(partial.steps == 5 && !partial.finished)
            let report = try storage.retain(policy: policy, now: now, budget: 1_000)
            #expect(report.finished)
            // 18 raw periods of 10 minutes (180 one-minute blocks) and 2 hours of their summaries.
            #expect(report.steps + partial.steps == 20)
            #expect(report.deletedBlocks + partial.deletedBlocks == 180 + 12)
            #expect(report.summarisedBlocks + partial.summarisedBlocks == 18 + 2)
            #expect(try storage.retain(policy: policy, now: now, budget: 1_000) == RetentionReport(), "nothing more is due")

            try expectFourHoursRolledUp(storage, node: "n1")
        }
    }

    /// What four hours of ``ingestMinutes(_:node:from:to:)`` read back as once raw is kept an hour
    /// and 1 m summaries two: two hours of 1 h summaries, one of 1 m summaries, one raw.
    func expectFourHoursRolledUp(_ storage: any HubStorage, node: String) throws {
        let start = Self.start
        let points = try points(storage, node: node)
        // Hours: the last value of each (its last sample is 10 s before the hour ends).
        #expect(points.prefix(2) == [Point(start, 359), Point(start + 3_600_000, 719)])
        // Minutes from the third hour on: each minute's last value.
        let minutes = points.filter { $0.timestamp >= start + 2 * 3_600_000 && $0.timestamp < start + 3 * 3_600_000 }
        #expect(minutes.count == 60 && minutes.first == Point(start + 2 * 3_600_000, 725))
        // The last hour is raw, every 10 s.
        #expect(points.filter { $0.timestamp >= start + 3 * 3_600_000 }.count == 360)
        #expect(points.count == 2 + 60 + 360)
    }

    @Test(arguments: HubStorageBackend.available)
    func aNodesOwnSummariesAreKeptAndABlockAcrossTheCutoffCountsOnce(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = Self.start
            try storage.registerNode("n2", secretHash: "", at: 0)
            // The node sent its own 1 m summaries for the first ten minutes, besides raw samples.
            try ingestMinutes(storage, node: "n2", from: start, to: start + 540_000)
            let own = UplinkBatch(
                node: "n2",
                stream: "metrics/1m/600s",
                sequence: start,
                tier: .minute,
                points: [(key: Self.gauge, points: (0..<10).map { (start + Int64($0) * 60_000, [0, 0, 0, 1, -1]) })],
                columns: 5
            )
            #expect(try storage.ingest(own, receivedAt: 0))
            // A raw block reaching from minute 9 into minute 11: past the first period's end.
            #expect(
                try storage.ingest(raw("n2", start + 540_000, Array(stride(from: start + 540_000, to: start + 660_000, by: 10_000))), receivedAt: 0)
            )
            var policy = RetentionPolicy()
            (policy.raw, policy.minute, policy.hour) = (3_600_000, 0, 0)
            let report = try storage.retain(policy: policy, now: start + 3_600_000 + 600_000 + 1, budget: 100)
            #expect(
                report
                    == {
                        var r = RetentionReport()
                        (r.steps, r.deletedBlocks) = (1, 9)
                        return r
                    }(),
                "no summary over the node's own"
            )
            let points = try points(storage, node: "n2")
            // The node's own summaries for minutes 0-9, then raw samples from minute 10 of the kept block.
            #expect(points.prefix(10).map(\.value) == Array(repeating: -1, count: 10))
            #expect(points.dropFirst(10).map(\.timestamp) == Array(stride(from: start + 600_000, to: start + 660_000, by: 10_000)))
        }
    }

    /// Retention does not wait for a remote_write target that is further behind than the hub
    /// keeps: the blocks it deletes leave the target's queue for its refusals, counted.
    @Test(arguments: HubStorageBackend.available)
    func blocksATargetHasNotTakenExpireIntoItsRefusals(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = Self.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            try storage.setRemoteWriteTargets(["prometheus", "mimir"])
            try ingestMinutes(storage, node: "n1", from: start, to: start + 20 * 60_000)
            let queued = try storage.remoteWriteQueue(target: "mimir", limit: 100)
            try storage.remoteWriteSent(target: "mimir", blocks: queued.map(\.id))
            var policy = RetentionPolicy()
            (policy.raw, policy.minute, policy.hour) = (3_600_000, 0, 0)
            let report = try storage.retain(policy: policy, now: start + 3_600_000 + 600_000, budget: 100)
            #expect(report.steps == 1 && report.deletedBlocks == 10 && report.expiredQueuedBlocks == 10, "\(report)")
            #expect(
                try storage.remoteWriteCounts() == [
                    "prometheus": RemoteWriteQueueCounts(queued: 10, refused: 10), "mimir": RemoteWriteQueueCounts(queued: 0, refused: 0),
                ]
            )
            #expect(try storage.remoteWriteQueue(target: "prometheus", limit: 100).map(\.id) == queued.suffix(10).map(\.id))
        }
    }
}
