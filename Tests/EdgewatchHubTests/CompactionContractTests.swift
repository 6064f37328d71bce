import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPromQL
import EdgewatchWire
import Testing

/// Compaction on SQLite and a real PostgreSQL alike: settled periods of batch blocks (each holding
/// every series of its batch) become one block per metric, and queries answer the same.
@Suite struct CompactionContractTests {
    static let start: Int64 = 1_800_000_000_000 / 3_600_000 * 3_600_000
    static let keys = [
        SeriesKey(name: "node_load1", labels: [:], type: .gauge),
        SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": "0"], type: .counter),
        SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": "1"], type: .counter),
    ]

    /// Raw batches of one minute each over `[from, to)`, a sample every 10 s (one series absent
    /// every other row, so presence bitmaps are exercised).
    func ingest(_ storage: any HubStorage, node: String, from: Int64, to: Int64) throws {
        for minute in stride(from: from, to: to, by: 60_000) {
            let times = Array(stride(from: minute, to: minute + 60_000, by: 10_000))
            let points = Self.keys.enumerated().map { index, key in
                (
                    key: key,
                    points: times.enumerated().filter { index != 2 || $0.offset % 2 == 0 }.map {
                        ($0.element, [Double($0.element / 1000 + Int64(index))])
                    }
                )
            }
            #expect(
                try storage.ingest(
                    UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: minute, tier: .raw, points: points, columns: 1),
                    receivedAt: 0
                )
            )
        }
    }

    /// Every selection's series as text (labels and points), for comparing before and after.
    func everything(_ storage: any HubStorage, hours: Int64 = 1) throws -> [String] {
        let end = Self.start + hours * 3_600_000
        var result: [Series] = []
        for name in ["node_load1", "node_cpu_seconds_total"] {
            result += try storage.select(
                [LabelMatcher(name: "__name__", operation: .equal, value: name)],
                start: Self.start,
                end: end
            )
        }
        result += try storage.select([LabelMatcher(name: "cpu", operation: .matches, value: ".+")], start: Self.start, end: end)
        return result.map { "\($0.labels) \($0.points)" }
    }

    /// Settled periods are rewritten once; the open one each time three batches have gathered, and
    /// once more, with its metric blocks, when it settles.
    @Test(arguments: HubStorageBackend.available)
    func settledPeriodsBecomeOneBlockPerMetric(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = Self.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            try ingest(storage, node: "n1", from: start, to: start + 25 * 60_000)
            var before = try everything(storage)
            #expect(before.count == 5 && before.allSatisfy { $0.contains("Point") })
            // At 26 minutes the first two ten-minute periods have settled (two minutes after their
            // end); the open one holds five batches.
            let first = try storage.compact(now: start + 26 * 60_000, budget: 100)
            #expect(first.steps == 3 && first.deletedBlocks == 25 && first.summarisedBlocks == 6 && first.finished, "\(first)")
            #expect(try everything(storage) == before, "queries answer the same from either layout")
            // Two more batches are too few to fold.
            try ingest(storage, node: "n1", from: start + 25 * 60_000, to: start + 27 * 60_000)
            #expect(try storage.compact(now: start + 27 * 60_000 + 30_000, budget: 100).steps == 0)
            try ingest(storage, node: "n1", from: start + 27 * 60_000, to: start + 35 * 60_000)
            before = try everything(storage)
            // The third period settles: its two metric blocks and five batches become two blocks;
            // the fourth, open, holds five batches.
            let second = try storage.compact(now: start + 33 * 60_000, budget: 100)
            #expect(second.steps == 2 && second.deletedBlocks == 12 && second.summarisedBlocks == 4, "\(second)")
            #expect(try storage.compact(now: start + 33 * 60_000, budget: 100).steps == 0)
            #expect(try everything(storage) == before, "queries answer the same from every mix of layouts")
        }
    }

    /// A target far behind holds up none of the blocks it has taken: those it has not are left as
    /// they are, and rewritten once it takes them.
    @Test(arguments: HubStorageBackend.available)
    func blocksQueuedForRemoteWriteAreRewrittenOnceSent(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = Self.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            try storage.setRemoteWriteTargets(["prometheus"])
            try ingest(storage, node: "n1", from: start, to: start + 20 * 60_000)
            let before = try everything(storage)
            let queued = try storage.remoteWriteQueue(target: "prometheus", limit: 100)
            #expect(queued.count == 20)
            // The target took minutes 0-3; minutes 4-19 wait.
            try storage.remoteWriteSent(target: "prometheus", blocks: queued.prefix(4).map(\.id))
            let first = try storage.compact(now: start + 23 * 60_000, budget: 100)
            #expect(first.steps == 2 && first.deletedBlocks == 4 && first.summarisedBlocks == 2, "\(first)")
            #expect(try storage.compact(now: start + 23 * 60_000, budget: 100).steps == 0, "nothing is due while the rest waits")
            #expect(try everything(storage) == before)
            #expect(try storage.remoteWriteQueue(target: "prometheus", limit: 100).map(\.id) == queued.dropFirst(4).map(\.id))
            // Minutes 4-11 are taken: the first period's rest (with its two metric blocks) and part
            // of the second's are rewritten.
            try storage.remoteWriteSent(target: "prometheus", blocks: queued[4..<12].map(\.id))
            let second = try storage.compact(now: start + 23 * 60_000, budget: 100)
            #expect(second.steps == 2 && second.deletedBlocks == 10 && second.summarisedBlocks == 4, "\(second)")
            try storage.remoteWriteSent(target: "prometheus", blocks: queued[12...].map(\.id))
            let third = try storage.compact(now: start + 23 * 60_000, budget: 100)
            #expect(third.steps == 1 && third.deletedBlocks == 10 && third.summarisedBlocks == 2, "\(third)")
            #expect(try storage.compact(now: start + 23 * 60_000, budget: 100).steps == 0)
            #expect(try everything(storage) == before, "queries answer the same from every mix of layouts")
        }
    }

    /// A node's backlog arriving after compaction passed its period is rewritten too, once.
    @Test(arguments: HubStorageBackend.available)
    func lateBatchesAreRewrittenOnce(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = Self.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            // Minutes 0-4 and 6-19 arrive; compaction passes the first two periods.
            try ingest(storage, node: "n1", from: start, to: start + 5 * 60_000)
            try ingest(storage, node: "n1", from: start + 6 * 60_000, to: start + 20 * 60_000)
            #expect(try storage.compact(now: start + 23 * 60_000, budget: 100).steps == 2)
            // Minute 5 comes late (the node was offline), and a block reaching over two periods.
            try ingest(storage, node: "n1", from: start + 5 * 60_000, to: start + 6 * 60_000)
            let across = UplinkBatch(
                node: "n1",
                stream: "metrics/raw/120s",
                sequence: start + 9 * 60_000,
                tier: .raw,
                points: [(key: Self.keys[0], points: [(start + 9 * 60_000 + 5_000, [1]), (start + 10 * 60_000 + 5_000, [2])])],
                columns: 1
            )
            #expect(try storage.ingest(across, receivedAt: 0))
            let before = try everything(storage)
            let late = try storage.compact(now: start + 23 * 60_000, budget: 100)
            // The late minute's period is rewritten (one batch block and the period's two metric
            // blocks into two metric blocks); the block reaching over two periods is looked at once
            // and kept.
            #expect(late.steps == 2 && late.deletedBlocks == 3 && late.summarisedBlocks == 2, "\(late)")
            #expect(try storage.compact(now: start + 23 * 60_000, budget: 100).steps == 0)
            #expect(try everything(storage) == before)
        }
    }

    /// A batch's block may hold only some series of its table (its ids index the table): each
    /// series reads back as itself, from batch blocks and compacted ones alike.
    @Test(arguments: HubStorageBackend.available)
    func aBlockHoldingPartOfItsTableReadsBackBySeries(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let start = Self.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            for minute in stride(from: start, to: start + 10 * 60_000, by: 60_000) {
                // The table lists node_load1, cpu 0 and cpu 1; the block holds cpu 0 (10) and cpu 1 (20).
                let block = Block(
                    timestamps: [minute],
                    columns: 1,
                    series: [BlockSeries(id: 1, present: nil, values: [[10]]), BlockSeries(id: 2, present: nil, values: [[20]])]
                )
                let batch = UplinkBatch(node: "n1", stream: "metrics/raw/60s", sequence: minute, tier: .raw, series: Self.keys, block: block)
                #expect(try storage.ingest(batch, receivedAt: 0))
            }
            func values() throws -> [String: [Double]] {
                let series = try storage.select(
                    [LabelMatcher(name: "__name__", operation: .matches, value: ".+")],
                    start: start,
                    end: start + 3_600_000
                )
                return Dictionary(uniqueKeysWithValues: series.map { ($0.labels["cpu"] ?? $0.labels["__name__"] ?? "", $0.points.map(\.value)) })
            }
            let expected: [String: [Double]] = ["0": Array(repeating: 10, count: 10), "1": Array(repeating: 20, count: 10)]
            #expect(try values() == expected)
            #expect(try storage.compact(now: start + 13 * 60_000, budget: 100).steps == 1)
            #expect(try values() == expected, "the same after compaction")
        }
    }
}
