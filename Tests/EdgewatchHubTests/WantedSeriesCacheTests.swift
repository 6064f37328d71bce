import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire
import Foundation
import Testing

@testable import EdgewatchHub

/// The series a query's matchers took, kept for the next query with the same matchers while the
/// metric's ids and the clusters stay the same (``WantedSeriesCache``).
@Suite struct WantedSeriesCacheTests {
    static func taken(_ ids: [Int64]) -> WantedSeriesCache.Taken {
        let labels: Labels = ["__name__": "up"]
        return WantedSeriesCache.Taken(wanted: Dictionary(uniqueKeysWithValues: ids.map { ($0, labels) }), known: ids.count)
    }

    @Test func anEntryAnswersOnlyForTheIdsAndClustersItWasMadeFrom() throws {
        var cache = WantedSeriesCache()
        let matchers = [try LabelMatcher(name: "__name__", operation: .equal, value: "up")]
        let key = WantedSeriesCache.key(matchers)
        #expect(cache.taken(key, ids: [1, 2], clusters: [:]) == nil)
        cache.keep(Self.taken([1]), key, ids: [1, 2], clusters: ["n1": "c1"])
        #expect(cache.taken(key, ids: [1, 2], clusters: ["n1": "c1"])?.wanted.keys.sorted() == [1])
        #expect(cache.taken(key, ids: [1, 2, 3], clusters: ["n1": "c1"]) == nil)
        #expect(cache.taken(key, ids: [1], clusters: ["n1": "c1"]) == nil)
        #expect(cache.taken(key, ids: [1, 2], clusters: ["n1": "c2"]) == nil)
        #expect(cache.taken(key, ids: [1, 2], clusters: [:]) == nil)
        // Other matchers, or the same in another order, are another entry.
        let other = [
            try LabelMatcher(name: "__name__", operation: .equal, value: "up"), try LabelMatcher(name: "job", operation: .equal, value: "x"),
        ]
        #expect(cache.taken(WantedSeriesCache.key(other), ids: [1, 2], clusters: ["n1": "c1"]) == nil)
        #expect(WantedSeriesCache.key(other) != WantedSeriesCache.key(other.reversed()))
        #expect(
            WantedSeriesCache.key([try LabelMatcher(name: "a", operation: .equal, value: "b=c")])
                != WantedSeriesCache.key([try LabelMatcher(name: "a=b", operation: .equal, value: "c")])
        )
        // A bare selector's entry is another, made with the ids by label set; others have none.
        #expect(cache.taken(WantedSeriesCache.key(matchers, ordered: true), ids: [1, 2], clusters: ["n1": "c1"]) == nil)
        let labels: [Int64: Labels] = [1: ["__name__": "up", "node": "b"], 2: ["__name__": "up", "node": "a"]]
        #expect(WantedSeriesCache.Taken(wanted: labels, known: 2, grouped: true, ordered: true).byNode?.ordered == [2, 1])
        #expect(WantedSeriesCache.Taken(wanted: labels, known: 2, grouped: true).byNode?.ordered == nil)
    }

    @Test func theLeastLatelyUsedEntryGoesFirstAndLargeAnswersAreNotKept() {
        var cache = WantedSeriesCache()
        for index in 0..<WantedSeriesCache.capacity { cache.keep(Self.taken([Int64(index)]), "k\(index)", ids: [Int64(index)], clusters: [:]) }
        #expect(cache.taken("k0", ids: [0], clusters: [:]) != nil)
        cache.keep(Self.taken([99]), "new", ids: [99], clusters: [:])
        #expect(cache.count == WantedSeriesCache.capacity)
        #expect(cache.taken("k0", ids: [0], clusters: [:]) != nil && cache.taken("k1", ids: [1], clusters: [:]) == nil)
        #expect(cache.taken("new", ids: [99], clusters: [:]) != nil)
        let ids = (0...Int64(WantedSeriesCache.largest)).map { $0 }
        cache.keep(Self.taken(ids), "large", ids: ids, clusters: [:])
        #expect(cache.taken("large", ids: ids, clusters: [:]) == nil)
        // A few series of a metric too large to keep the ids of.
        cache.keep(Self.taken([1]), "few", ids: ids, clusters: [:])
        #expect(cache.taken("few", ids: ids, clusters: [:]) == nil)
    }

    /// The same query again sees a series stored since (new ids) and a cluster reported since, on
    /// both backends.
    @Test(arguments: HubStorageBackend.available)
    func aQueryAgainSeesWhatChangedSince(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage in
            let start = HubStorageContractTests.window
            for node in ["n1", "n2"] { try storage.registerNode(node, secretHash: "", at: 0) }
            func send(_ node: String, _ pods: [String], at time: Int64) throws {
                let points = pods.map { (key: SeriesKey(name: "pod_up", labels: ["pod": $0], type: .gauge), points: [(time, [1.0])]) }
                let batch = UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: time, tier: .raw, points: points, columns: 1)
                #expect(try storage.ingest(batch, receivedAt: 0))
            }
            let wanted = [
                try LabelMatcher(name: "__name__", operation: .equal, value: "pod_up"),
                try LabelMatcher(name: "pod", operation: .matches, value: "a.*"),
            ]
            let inCluster = wanted + [try LabelMatcher(name: "cluster", operation: .equal, value: "c1")]
            func pods(_ matchers: [LabelMatcher]) throws -> [String] {
                try storage.select(matchers, start: start, end: start + 600_000).map { series in
                    "\(series.labels["node"] ?? "")/\(series.labels["pod"] ?? "")"
                }.sorted()
            }
            try send("n1", ["a1", "b1"], at: start)
            #expect(try pods(wanted) == ["n1/a1"])
            #expect(try pods(inCluster).isEmpty)
            try send("n2", ["a2"], at: start + 60_000)
            #expect(try pods(wanted) == ["n1/a1", "n2/a2"])
            try storage.report(NodeReport(cluster: "c1"), node: "n2")
            #expect(try pods(inCluster) == ["n2/a2"])
            #expect(try pods(inCluster) == ["n2/a2"])
        }
    }
}
