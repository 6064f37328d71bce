import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPromQL
import EdgewatchWire
import Testing

/// What every hub storage must do, run against SQLite and a real PostgreSQL alike.
@Suite struct HubStorageContractTests {
    static let window: Int64 = 1_800_000_000_000 / 600_000 * 600_000

    func batch(_ stream: String, _ sequence: Int64, _ timestamps: [Int64], node: String = "n1", name: String = "node_load1") -> UplinkBatch {
        let key = SeriesKey(name: name, labels: [:], type: .gauge)
        return UplinkBatch(
            node: node,
            stream: stream,
            sequence: sequence,
            tier: .minute,
            points: [(key: key, points: timestamps.map { ($0, [1, 2, 3, 4, 5]) })],
            columns: 5
        )
    }

    @Test(arguments: HubStorageBackend.available)
    func anExclusiveWindowOverSlotsOfAnotherWidthIsADuplicate(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let window = Self.window
            // The uplink sent the window's fourth minute alone.
            #expect(try storage.ingest(batch("metrics/1m/60s", window + 180_000, [window + 180_000]), receivedAt: 0))
            // An import of the whole window: held in part, so nothing is stored (the uplink sends the rest).
            let whole = batch("metrics/1m/600s", window, (0..<10).map { window + $0 * 60_000 })
            #expect(try !storage.ingest(whole, receivedAt: 0, exclusive: true))
            // The next window, not touched by any slot, is stored; the same key again is a duplicate.
            let next = batch("metrics/1m/600s", window + 600_000, [window + 600_000])
            #expect(try storage.ingest(next, receivedAt: 0, exclusive: true))
            #expect(try !storage.ingest(next, receivedAt: 0, exclusive: true))
            // A slot that ends where a window starts does not touch it (a part-split window's name is read too).
            #expect(try storage.ingest(batch("metrics/1m/60s", window + 1_140_000, [window + 1_140_000]), receivedAt: 0))
            #expect(try storage.ingest(batch("metrics/1m/600s/part1of2", window + 1_200_000, [window + 1_200_000]), receivedAt: 0, exclusive: true))
            // Without `exclusive` (the uplink's own batches) only the key counts.
            #expect(try storage.ingest(batch("metrics/1m/600s", window + 2_400_000, [window + 2_400_000]), receivedAt: 0))
        }
    }

    @Test(arguments: HubStorageBackend.available)
    func aGapSentWithEachWindowItReachesCountsOnce(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let window = Self.window
            try storage.registerNode("n1", secretHash: "", at: 0)
            let gap = UplinkBatch.Gap(from: window + 30_000, to: window + 150_000, reason: "1m evicted")
            for minute: Int64 in 0..<3 {
                var minuteBatch = batch("metrics/1m/60s", window + minute * 60_000, [])
                minuteBatch.gaps = [gap]
                #expect(try storage.ingest(minuteBatch, receivedAt: 0))
            }
            #expect(try storage.nodes().first { $0.name == "n1" }?.gaps == 1)
        }
    }

    /// A batch is stored once by its key, whole or in parts, and the node's counters follow.
    @Test(arguments: HubStorageBackend.available)
    func batchesAreStoredOnceAndCounted(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let window = Self.window
            try storage.registerNode("n1", secretHash: "hash-1", at: 5)
            try storage.registerNode("n1", secretHash: "hash-2", at: 6)
            #expect(try storage.nodeSecretHash("n1") == "hash-1")
            #expect(try storage.nodeSecretHash("n2") == nil)
            let first = batch("metrics/1m/60s", window, [window, window + 30_000])
            #expect(try storage.ingest(first, receivedAt: 100))
            #expect(try !storage.ingest(first, receivedAt: 101))
            // A part of a window stored whole is a duplicate; a whole window with a part stored is too.
            #expect(try !storage.ingest(batch("metrics/1m/60s/part1of2", window, [window]), receivedAt: 102))
            #expect(try storage.ingest(batch("metrics/1m/60s/part1of2", window + 60_000, [window + 60_000]), receivedAt: 103))
            #expect(try storage.ingest(batch("metrics/1m/60s/part2of2", window + 60_000, [window + 90_000]), receivedAt: 104))
            #expect(try !storage.ingest(batch("metrics/1m/60s", window + 60_000, [window + 60_000]), receivedAt: 105))
            let node = try #require(try storage.nodes().first { $0.name == "n1" })
            #expect(node.batches == 3 && node.duplicates == 3 && node.samples == 4)
            #expect(node.firstSeen == 5 && node.lastSeen == 105 && node.lastSampleTimestamp == window + 90_000)
        }
    }

    /// Queries see every node's series with a `node` label; raw samples win over a rollup at
    /// the same instant; a rollup counts by its last value.
    @Test(arguments: HubStorageBackend.available)
    func selectionsReadBackWhatWasStored(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let window = Self.window
            for node in ["a", "b"] {
                #expect(try storage.ingest(batch("metrics/1m/60s", window, [window, window + 60_000], node: node), receivedAt: 0))
                #expect(try storage.ingest(batch("metrics/1m/60s", window, [window], node: node, name: "other"), receivedAt: 0) == false)
            }
            var raw = UplinkBatch(
                node: "a",
                stream: "metrics/raw/60s",
                sequence: window,
                tier: .raw,
                points: [(key: SeriesKey(name: "node_load1", labels: [:], type: .gauge), points: [(window, [9])])],
                columns: 1
            )
            #expect(try storage.ingest(raw, receivedAt: 0))
            raw.node = "b"
            raw.stream = "metrics/raw/60s"
            let matchers = [try LabelMatcher(name: "__name__", operation: .equal, value: "node_load1")]
            let series = try storage.select(matchers, start: window, end: window + 60_000)
            #expect(series.map { $0.labels["node"] } == ["a", "b"])
            #expect(series.first?.points.map(\.value) == [9, 5])
            #expect(series.last?.points.map(\.value) == [5, 5])
            let byRegex = [try LabelMatcher(name: "node", operation: .matches, value: "b|c")]
            #expect(try storage.select(byRegex, start: window, end: window).map { $0.labels["node"] } == ["b"])
            #expect(try storage.series(matching: [matchers], start: window + 1, end: window + 59_999).isEmpty)
            #expect(try storage.series(matching: [byRegex], start: 0, end: .max).count == 1)
        }
    }

    /// A query naming its metric reads a few nodes' blocks node by node and a fleet's all at once:
    /// the same series and points either way.
    @Test(arguments: HubStorageBackend.available)
    func fewNodesAndTheFleetReadTheSamePoints(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let window = Self.window
            let keys = [SeriesKey(name: "node_load1", labels: [:], type: .gauge), SeriesKey(name: "other", labels: [:], type: .gauge)]
            let nodes = (0..<20).map { "n\($0)" }
            for (index, node) in nodes.enumerated() {
                for minute in Int64(0)..<3 {
                    let first = window + minute * 60_000
                    let points = keys.enumerated().map { item in
                        (key: item.element, points: [(first, [Double(index * 10 + item.offset)]), (first + 30_000, [Double(minute)])])
                    }
                    let batch = UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: first, tier: .raw, points: points, columns: 1)
                    #expect(try storage.ingest(batch, receivedAt: 0))
                }
            }
            let name = try LabelMatcher(name: "__name__", operation: .equal, value: "node_load1")
            let fleet = try storage.select([name], start: window, end: window + 150_000)
            #expect(fleet.count == 20)
            let few = try storage.select(
                [name, try LabelMatcher(name: "node", operation: .matches, value: "n1|n7|n19")],
                start: window,
                end: window + 150_000
            )
            // In the order the series were first stored (nodes 0…19 in turn), not by labels; by
            // labels when asked so (a bare selector's), with the same points.
            #expect(few.map { $0.labels["node"] } == ["n1", "n7", "n19"])
            let ordered = try storage.select(
                [name, try LabelMatcher(name: "node", operation: .matches, value: "n1|n7|n19")],
                start: window,
                end: window + 150_000,
                ordered: true
            )
            #expect(ordered.map { $0.labels["node"] } == ["n1", "n19", "n7"])
            #expect(ordered.map(\.points) == [few[0].points, few[2].points, few[1].points])
            for series in few {
                let same = fleet.first { $0.labels == series.labels }
                #expect(same?.points == series.points)
                #expect(series.points.count == 6)
            }
        }
    }

    /// Batches of many series (SQLite indexes their blocks' series) read back series by series,
    /// whichever few a query wants.
    @Test(arguments: HubStorageBackend.available)
    func wideBatchesReadBackSeriesBySeries(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let window = Self.window
            let keys = (0..<50).map { SeriesKey(name: "m\($0)", labels: ["slot": "\($0 % 7)"], type: .gauge) }
            for minute in Int64(0)..<3 {
                let first = window + minute * 60_000
                let points = keys.enumerated().map { index, key in
                    (key: key, points: [(first, [Double(index)]), (first + 30_000, [Double(index * 1000) + Double(minute)])])
                }
                #expect(
                    try storage.ingest(
                        UplinkBatch(node: "n1", stream: "metrics/raw/60s", sequence: first, tier: .raw, points: points, columns: 1),
                        receivedAt: 0
                    )
                )
            }
            for wanted in [[0], [49], [3, 10, 17, 24, 31, 38, 45], [16, 17, 32]] {
                let pattern = wanted.map { "m\($0)" }.joined(separator: "|")
                let series = try storage.select(
                    [LabelMatcher(name: "__name__", operation: .matches, value: pattern)],
                    start: window,
                    end: window + 180_000
                )
                #expect(series.map { $0.labels["__name__"] } == wanted.map { "m\($0)" })  // as stored: m0, m1, …
                for entry in series {
                    let index = try #require(Int(entry.labels["__name__"]?.dropFirst() ?? ""))
                    let expected = (Int64(0)..<3).flatMap { [Double(index), Double(index * 1000) + Double($0)] }
                    #expect(entry.points.map(\.value) == expected && entry.labels["slot"] == "\(index % 7)")
                }
            }
        }
    }

    /// An event occurrence is stored once by `(node, uid, count)`; filters and the limit apply.
    @Test(arguments: HubStorageBackend.available)
    func eventsAreStoredOnceAndFiltered(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            let window = Self.window
            func event(_ uid: String, _ count: Int64, _ reason: String, at time: Int64) -> EventRecord {
                EventRecord(
                    time: time,
                    source: .kubernetes,
                    type: reason == "BackOff" ? "Warning" : "Normal",
                    reason: reason,
                    object: .init(kind: "Pod", namespace: "default", name: "web-1"),
                    message: "m \(count)",
                    count: count,
                    uid: uid,
                    recorded: time
                )
            }
            var first = batch("events/60s", window, [])
            first.events = [event("u1", 1, "BackOff", at: window), event("u2", 1, "Pulled", at: window + 1)]
            var second = batch("events/60s", window + 60_000, [])
            second.events = [event("u1", 1, "BackOff", at: window), event("u1", 2, "BackOff", at: window + 61_000)]
            #expect(try storage.ingest(first, receivedAt: 0) && storage.ingest(second, receivedAt: 0))
            let all = try storage.events(matching: HubEventFilter(), limit: 100)
            #expect(all.map { "\($0.uid)/\($0.count)" } == ["u1/1", "u2/1", "u1/2"])
            #expect(all.first?.node == "n1" && all.first?.object.name == "web-1")
            #expect(try storage.events(matching: HubEventFilter(reason: "BackOff"), limit: 1).map(\.count) == [1])
            #expect(try storage.events(matching: HubEventFilter(node: "n2"), limit: 100).isEmpty)
            #expect(try storage.events(matching: HubEventFilter(since: window + 1), limit: 100).count == 2)
        }
    }

    /// A node's series tables are kept by hash, its newest eight at most.
    @Test(arguments: HubStorageBackend.available)
    func seriesTablesAreKeptByHash(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            for index in 0..<10 {
                try storage.keepSeriesTable(node: "n1", hash: [UInt8(index)], table: Array(repeating: UInt8(index), count: 100), at: Int64(index))
            }
            #expect(try storage.seriesTable(node: "n1", hash: [9]) == Array(repeating: 9, count: 100))
            #expect(try storage.seriesTable(node: "n1", hash: [2]) != nil)
            #expect(try storage.seriesTable(node: "n1", hash: [1]) == nil)
            #expect(try storage.seriesTable(node: "n2", hash: [9]) == nil)
        }
    }

    /// What a node reports of itself is kept until its next report.
    @Test(arguments: HubStorageBackend.available)
    func nodeReportsAreKept(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try storage.registerNode("n1", secretHash: "h", at: 1)
            #expect(try storage.nodes().first?.report == NodeReport())
            let report = NodeReport(cluster: "shop-1", backlogWindows: 12, deadLetters: 1, slotMilliseconds: 10_000)
            try storage.report(report, node: "n1")
            try storage.report(report, node: "unknown")
            #expect(try storage.nodes().map(\.report) == [report])
            // Series of the node carry its cluster in queries, as remote_write sends them.
            #expect(try storage.ingest(batch("metrics/1m/60s", Self.window, [Self.window]), receivedAt: 2))
            let selected = try storage.select([LabelMatcher(name: "cluster", operation: .equal, value: "shop-1")], start: 0, end: .max)
            #expect(selected.map(\.labels) == [["__name__": "node_load1", "cluster": "shop-1", "node": "n1"]])
        }
    }

    /// A cluster a node reports since is the one queries see, with or without a metric name (a
    /// PostgreSQL replica keeps the clusters while the nodes' rows keep their digest): two nodes
    /// trading their clusters change neither the set of clusters nor of nodes.
    @Test(arguments: HubStorageBackend.available)
    func queriesSeeClustersReportedSince(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            func nodes(in cluster: String) throws -> [[String]] {
                let matcher = try LabelMatcher(name: "cluster", operation: .equal, value: cluster)
                let named = try storage.select(
                    [try LabelMatcher(name: "__name__", operation: .equal, value: "node_load1"), matcher],
                    start: 0,
                    end: .max
                )
                let nameless = try storage.select([matcher], start: 0, end: .max)
                return [named, nameless].map { $0.compactMap { $0.labels["node"] }.sorted() }
            }
            for (node, cluster) in [("n1", "shop-1"), ("n2", "shop-2")] {
                try storage.registerNode(node, secretHash: "h", at: 1)
                try storage.report(NodeReport(cluster: cluster), node: node)
                #expect(try storage.ingest(batch("metrics/1m/60s", Self.window, [Self.window], node: node), receivedAt: 2))
            }
            #expect(try nodes(in: "shop-1") == [["n1"], ["n1"]])
            try storage.report(NodeReport(cluster: "shop-1"), node: "n2")
            try storage.report(NodeReport(cluster: "shop-2"), node: "n1")
            #expect(try nodes(in: "shop-1") == [["n2"], ["n2"]])
            #expect(try nodes(in: "shop-2") == [["n1"], ["n1"]])
            try storage.report(NodeReport(cluster: "shop-1"), node: "n1")
            #expect(try nodes(in: "shop-1") == [["n1", "n2"], ["n1", "n2"]])
        }
    }
}
