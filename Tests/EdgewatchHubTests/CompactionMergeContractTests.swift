import EdgewatchHub
import EdgewatchPromQL
import EdgewatchWire
import Testing

/// Compaction's merge on SQLite and a real PostgreSQL alike: once an hour of raw has settled, its
/// periods' metric blocks become one block per metric, so a query over a day reads a sixth of the
/// rows; a batch that comes (or is let go by remote_write) after the merge is rewritten with its hour.
@Suite struct CompactionMergeContractTests {
    let base = CompactionContractTests()
    static let minute: Int64 = 60_000

    /// Settled hours are merged straight from their batches, the open period folded; a late minute
    /// of a merged hour is rewritten with the hour's blocks.
    @Test(arguments: HubStorageBackend.available)
    func settledHoursBecomeOneBlockPerMetric(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = CompactionContractTests.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            // Minutes 0-29 and 31-124 arrive; minute 30 comes later.
            try base.ingest(storage, node: "n1", from: start, to: start + 30 * Self.minute)
            try base.ingest(storage, node: "n1", from: start + 31 * Self.minute, to: start + 125 * Self.minute)
            var before = try base.everything(storage, hours: 3)
            // At 2 h 3 min both hours have settled: each becomes two blocks (one per metric); the
            // open period's five batches are folded.
            let first = try storage.compact(now: start + 123 * Self.minute, budget: 100)
            #expect(first.steps == 3 && first.deletedBlocks == 124 && first.summarisedBlocks == 6 && first.finished, "\(first)")
            #expect(try storage.compact(now: start + 123 * Self.minute, budget: 100).steps == 0)
            #expect(try base.everything(storage, hours: 3) == before, "queries answer the same from hour blocks")
            // The late minute and the first hour's two blocks become two blocks again.
            try base.ingest(storage, node: "n1", from: start + 30 * Self.minute, to: start + 31 * Self.minute)
            before = try base.everything(storage, hours: 3)
            let late = try storage.compact(now: start + 123 * Self.minute, budget: 100)
            #expect(late.steps == 1 && late.deletedBlocks == 3 && late.summarisedBlocks == 2, "\(late)")
            #expect(try storage.compact(now: start + 123 * Self.minute, budget: 100).steps == 0)
            #expect(try base.everything(storage, hours: 3) == before)
            // The third hour's periods are compacted as they settle, then merged with the open fold.
            try base.ingest(storage, node: "n1", from: start + 125 * Self.minute, to: start + 180 * Self.minute)
            before = try base.everything(storage, hours: 3)
            let third = try storage.compact(now: start + 183 * Self.minute, budget: 100)
            #expect(third.steps == 1 && third.deletedBlocks == 57 && third.summarisedBlocks == 2, "\(third)")
            #expect(try base.everything(storage, hours: 3) == before)
        }
    }

    /// Periods compacted before their hour was merged (an upgraded hub's history, here the first
    /// 50 minutes): the periods due now are compacted first, and the hour merged after.
    @Test(arguments: HubStorageBackend.available)
    func thePeriodsDueNowGoBeforeMergingHistory(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = CompactionContractTests.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            try base.ingest(storage, node: "n1", from: start, to: start + 50 * Self.minute)
            let history = try storage.compact(now: start + 61 * Self.minute, budget: 100)
            #expect(history.steps == 5 && history.deletedBlocks == 50 && history.summarisedBlocks == 10, "\(history)")
            try base.ingest(storage, node: "n1", from: start + 50 * Self.minute, to: start + 70 * Self.minute)
            let before = try base.everything(storage, hours: 2)
            // Minutes 50-59 become a period's two blocks; the hour's ten blocks are not read yet.
            let first = try storage.compact(now: start + 72 * Self.minute, budget: 1)
            #expect(first.steps == 1 && first.deletedBlocks == 10 && first.summarisedBlocks == 2 && !first.finished, "\(first)")
            // Then minutes 60-69, then the first hour's six periods become two blocks.
            let rest = try storage.compact(now: start + 72 * Self.minute, budget: 100)
            #expect(rest.steps == 2 && rest.deletedBlocks == 22 && rest.summarisedBlocks == 4 && rest.finished, "\(rest)")
            #expect(try base.everything(storage, hours: 2) == before)
        }
    }

    /// An upgraded hub's history, compacted period by period before merges came (here as late
    /// batches behind a compaction mark an older hub left): only the day before the mark is merged,
    /// the hours before it stay as their periods' blocks, and queries answer the same.
    @Test(arguments: HubStorageBackend.available)
    func anUpgradedHubMergesOnlyTheLastDayOfItsHistory(_ backend: HubStorageBackend) throws {
        try backend.withStorageAndSQL { storage, execute throws in
            let start = CompactionContractTests.start
            let hour: Int64 = 3_600_000
            try storage.registerNode("n1", secretHash: "", at: 0)
            // 26 hours in batches of ten minutes.
            for from in stride(from: start, to: start + 26 * hour, by: 600_000) {
                #expect(try storage.ingest(Self.tenMinutes(from: from), receivedAt: 0))
            }
            try execute("INSERT INTO maintenance_marks(node, kind, mark) VALUES ('n1', 'compaction/raw', \(start + 26 * hour))")
            let before = try base.everything(storage, hours: 26)
            let now = start + 26 * hour + 5 * Self.minute
            // Each period becomes two blocks (one per metric), as the older hub had left them.
            let history = try storage.compact(now: now, budget: 156)
            #expect(history.steps == 156 && history.deletedBlocks == 156 && history.summarisedBlocks == 312, "\(history)")
            // Then hours 2-25 are merged, each from its six periods' twelve blocks; hours 0 and 1 stay.
            let merged = try storage.compact(now: now, budget: 1_000)
            #expect(merged.steps == 24 && merged.deletedBlocks == 24 * 12 && merged.summarisedBlocks == 48 && merged.finished, "\(merged)")
            #expect(try storage.compact(now: now, budget: 1_000).steps == 0)
            #expect(try base.everything(storage, hours: 26) == before)
        }
    }

    /// A raw batch of ten minutes from `from`, a sample every 10 s of each series.
    static func tenMinutes(from: Int64) -> UplinkBatch {
        let rows = stride(from: from, to: from + 10 * minute, by: 10_000).map { time in (time, [Double(time / 1000)]) }
        let points = CompactionContractTests.keys.map { key in (key: key, points: rows) }
        return UplinkBatch(node: "n1", stream: "metrics/raw/60s", sequence: from, tier: .raw, points: points, columns: 1)
    }

    /// A batch still queued for a remote_write target when its hour is merged is left as it is, then
    /// rewritten with the hour's blocks once the target takes it.
    @Test(arguments: HubStorageBackend.available)
    func aBatchQueuedThroughTheMergeJoinsItsHourLater(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = CompactionContractTests.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            try storage.setRemoteWriteTargets(["prometheus"])
            try base.ingest(storage, node: "n1", from: start, to: start + 120 * Self.minute)
            let before = try base.everything(storage, hours: 2)
            let queued = try storage.remoteWriteQueue(target: "prometheus", limit: 200)
            #expect(queued.count == 120)
            // The target has taken every minute but minute 30.
            try storage.remoteWriteSent(target: "prometheus", blocks: queued.enumerated().filter { $0.offset != 30 }.map(\.element.id))
            let first = try storage.compact(now: start + 123 * Self.minute, budget: 100)
            #expect(first.deletedBlocks == 119 && first.summarisedBlocks == 4 && first.finished, "\(first)")
            #expect(try storage.compact(now: start + 123 * Self.minute, budget: 100).steps == 0, "nothing is due while minute 30 waits")
            #expect(try base.everything(storage, hours: 2) == before)
            try storage.remoteWriteSent(target: "prometheus", blocks: [queued[30].id])
            let second = try storage.compact(now: start + 123 * Self.minute, budget: 100)
            #expect(second.steps == 1 && second.deletedBlocks == 3 && second.summarisedBlocks == 2, "\(second)")
            #expect(try storage.compact(now: start + 123 * Self.minute, budget: 100).steps == 0)
            #expect(try base.everything(storage, hours: 2) == before)
        }
    }

    /// Retention summarises and deletes a merged hour in one step, reading it once: the same points
    /// as from ten-minute blocks (``RetentionContractTests``).
    @Test(arguments: HubStorageBackend.available)
    func retentionSummarisesMergedHours(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let retention = RetentionContractTests()
            let start = RetentionContractTests.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            try retention.ingestMinutes(storage, node: "n1", from: start, to: start + 4 * 3_600_000)
            let now = start + 4 * 3_600_000
            #expect(try storage.compact(now: now, budget: 1_000).finished)
            var policy = RetentionPolicy()
            (policy.raw, policy.minute, policy.hour) = (3_600_000, 2 * 3_600_000, 0)
            // A step per merged hour, each decoded once: three raw hours, then two hours of their summaries.
            let report = try storage.retain(policy: policy, now: now, budget: 1_000)
            #expect(report.finished && report.steps == 5 && report.summarisedBlocks == 5 && report.deletedBlocks == 5, "\(report)")
            #expect(try storage.retain(policy: policy, now: now, budget: 1_000) == RetentionReport(), "nothing more is due")
            try retention.expectFourHoursRolledUp(storage, node: "n1")
        }
    }

    /// Batches stamped at the ends of time (a node's clock, or a hostile one) neither trap upkeep
    /// nor stop it for the node's other blocks.
    @Test(arguments: HubStorageBackend.available)
    func timestampsAtTheEndsOfTimeLeaveUpkeepRunning(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try storage.registerNode("n1", secretHash: "", at: 0)
            let key = CompactionContractTests.keys[0]
            for (sequence, time) in [Int64.min, Int64.min + 1, -1, 0, Int64.max - 1, Int64.max].enumerated() {
                let batch = UplinkBatch(
                    node: "n1",
                    stream: "metrics/raw/60s",
                    sequence: Int64(sequence),
                    tier: .raw,
                    points: [(key: key, points: [(time, [1])])],
                    columns: 1
                )
                #expect(try storage.ingest(batch, receivedAt: 0))
            }
            for now in [0, CompactionContractTests.start, 253_402_300_799_999] {
                _ = try storage.compact(now: now, budget: 1_000)
                var policy = RetentionPolicy()
                (policy.raw, policy.minute, policy.hour) = (3_600_000, 3_600_000, 3_600_000)
                _ = try storage.retain(policy: policy, now: now, budget: 1_000)
            }
            #expect(try storage.compact(now: 253_402_300_799_999, budget: 1_000).finished)
        }
    }
}
