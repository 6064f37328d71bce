import EdgewatchCore
import EdgewatchEncoding
import EdgewatchExposition
import EdgewatchPostgres
import EdgewatchPromQL
import EdgewatchWire
import TestServers
import Testing

@testable import EdgewatchHub

/// A PostgreSQL replica keeps the listings and decoded series of the batch blocks its queries read
/// (``BatchBlockCache``); a query still lists its snapshot's block ids, so blocks stored since are
/// read, blocks folded away are not, and a database whose ids mean other blocks now is not
/// answered from what was kept.
@Suite struct BatchBlockCacheTests {
    static func block(_ id: Int64, index: [UInt8] = [1], data: [UInt8]? = nil) -> ListedBlock {
        ListedBlock(id: id, node: "n", tier: 0, minimum: 0, maximum: 10, ids: [1, 2], index: index, length: 8, data: data, digest: [7])
    }

    @Test func keepsIndexedListingsAndWholeSeriesSets() {
        var cache = BatchBlockCache()
        cache.serve("db 1")
        cache.keep([Self.block(1), Self.block(2, index: []), Self.block(3, data: [0])], now: 0)
        let (found, missing) = cache.listings([1, 2, 3, 4], now: 1)
        #expect(found.map(\.id) == [1])
        #expect(missing == [2, 3, 4])
        let (a, b) = ([Point(1, 9), Point(2, 9)], [Point(1, 8)])
        // A block whose positions and lists do not pair up is not kept.
        cache.keep(points: [1: ([0, 4], [a, b]), 2: ([0, 1], [a])], now: 1)
        #expect(cache.points(of: 1, [0, 4], now: 2) == [a, b])
        #expect(cache.points(of: 1, [4], now: 2) == [b])
        #expect(cache.points(of: 1, [0, 6], now: 2) == nil)
        #expect(cache.points(of: 2, [0], now: 2) == nil)
        // Another database, or the same restarted: nothing kept is taken.
        cache.serve("db 1")
        #expect(cache.count.listings == 1 && cache.count.series == 2)
        cache.serve("db 2")
        #expect(cache.count.listings == 0 && cache.count.series == 0)
        #expect(cache.listings([1], now: 3).missing == [1])
    }

    /// A node's blocks' points gathered per series and tier, in time order whatever the blocks'
    /// order; a block not decoded leaves nothing to keep; an entry past the points bound is not kept.
    @Test func gathersANodesBlocksPerSeriesAndTier() {
        func listed(_ id: Int64, tier: Int) -> ListedBlock {
            ListedBlock(id: id, node: "n", tier: tier, minimum: 0, maximum: 10, ids: [5, 6, 7], index: [1], length: 8, data: nil)
        }
        let selection = BlockSelection(ids: [5, 6, 7], wantedAmong: [5, 7])
        let read = [(listed(1, tier: 0), selection), (listed(2, tier: 0), selection), (listed(3, tier: 1), selection)]
        let decoded: [Int64: [[Point]]] = [
            1: [[Point(30, 3), Point(40, 4)], []],
            2: [[Point(10, 1), Point(20, 2)], [Point(10, 9)]],
            3: [[Point(20, 7)], [Point(60, 8)]],
        ]
        let gathered = NodeBatchPoints(read, decoded: decoded)
        let chunks = gathered?.chunks.map { "\($0.id)/\($0.tier): \($0.points.map(\.timestamp))" }
        #expect(chunks == ["5/0: [10, 20, 30, 40]", "7/0: [10]", "5/1: [20]", "7/1: [60]"])
        #expect(gathered?.count == 7)
        #expect(NodeBatchPoints(read, decoded: decoded.filter { $0.key != 2 }) == nil)
        // Added to a query's points: its window, and the raw point wins at an instant both tiers have.
        var points = BlockPoints(wanted: [5: ["node": "n"], 7: ["node": "n"]], start: 15, end: 60)
        if let gathered { points.add(node: "n", gathered: gathered) }
        #expect(points.series().map { $0.points.map(\.timestamp) } == [[20, 30, 40], [60]])
        #expect(points.series().first?.points.map(\.value) == [2, 3, 4])
        var cache = BatchBlockCache()
        let key = NodeBatchPoints.Key(blocks: [1, 2, 3], wanted: [5, 7])
        let large = NodeBatchPoints(
            [(listed(4, tier: 0), selection)],
            decoded: [4: [(0..<(NodeBatchPoints.keptPoints + 1)).map { Point(Int64($0), 0) }, []]]
        )
        cache.keep(nodes: [key: gathered, NodeBatchPoints.Key(blocks: [4], wanted: [5, 7]): large].compactMapValues { $0 }, now: 0)
        #expect(cache.count.nodes == 1)
        #expect(cache.nodePoints(key, now: 1)?.count == 7)
    }

    static let start = HubStorageContractTests.window

    /// A one-minute batch of 40 series `m0…` at 10 s (more than a series index's stride: the block
    /// has one, as a node's batches do), valued `value + minute`.
    static func send(_ storage: any HubStorage, node: String, minute: Int, value: Double, sequence: Int64? = nil) throws {
        let first = start + Int64(minute) * 60_000
        let times: [(Int64, [Double])] = (0..<6).map { (first + Int64($0) * 10_000, [value + Double(minute)]) }
        let points: [(key: SeriesKey, points: [(Int64, [Double])])] = (0..<40).map { index in
            (key: SeriesKey(name: "m\(index)", labels: [:], type: .gauge), points: times)
        }
        let batch = UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: sequence ?? first, tier: .raw, points: points, columns: 1)
        #expect(try storage.ingest(batch, receivedAt: 0))
    }

    /// Per node, the distinct values of `m2` over the first ten minutes.
    static func values(_ storage: any HubStorage) throws -> [String: [Double]] {
        let matchers = [try LabelMatcher(name: "__name__", operation: .equal, value: "m2")]
        var result: [String: [Double]] = [:]
        for series in try storage.select(matchers, start: start, end: start + 600_000) {
            var seen: [Double] = []
            for point in series.points where seen.last != point.value { seen.append(point.value) }
            result[series.labels["node"] ?? ""] = seen
        }
        return result
    }

    @Test func queriesSeeBlocksStoredSinceAndNotThoseFoldedAway() throws {
        guard PostgresServer.usable else { return }
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        for node in ["n1", "n2"] { try storage.registerNode(node, secretHash: "", at: 0) }
        for minute in 0..<3 { try Self.send(storage, node: "n1", minute: minute, value: 10) }
        #expect(try Self.values(storage) == ["n1": [10, 11, 12]])
        #expect(storage.cachedBatchBlocks.listings == 3 && storage.cachedBatchBlocks.series == 3)
        let metrics = PrometheusTextWriter().render(
            HubMetrics().families(nodes: [], undecodableBlocks: 0, cachedBatchBlocks: storage.cachedBatchBlocks)
        )
        #expect(metrics.contains("edgewatch_hub_cached_batch_blocks{kind=\"listings\"} 3\n"))
        #expect(metrics.contains("edgewatch_hub_cached_batch_blocks{kind=\"series\"} 3\n"))
        #expect(metrics.contains("edgewatch_hub_cached_batch_blocks{kind=\"nodes\"} 1\n"))
        // The same blocks listed for a window inside them: the node's gathered points, cut to it.
        let m2 = [try LabelMatcher(name: "__name__", operation: .equal, value: "m2")]
        let inner = try storage.select(m2, start: Self.start + 10_001, end: Self.start + 170_000)
        #expect(storage.cachedBatchBlocks.nodes == 1)
        #expect(inner.first?.points.first?.timestamp == Self.start + 20_000)
        #expect(inner.first?.points.last?.timestamp == Self.start + 170_000)
        #expect(inner.first?.points.count == 16)
        // Another metric over the same blocks: another entry (the node's wanted series are its key too).
        let m3 = [try LabelMatcher(name: "__name__", operation: .equal, value: "m3")]
        let other = try storage.select(m3, start: Self.start, end: Self.start + 600_000)
        #expect(other.map { $0.labels["__name__"] } == ["m3"] && other.first?.points.count == 18)
        #expect(storage.cachedBatchBlocks.nodes == 2)
        // A narrower window takes only its own points of the series held (kept whole per block).
        let narrow = try storage.select(m2, start: Self.start + 60_001, end: Self.start + 120_000)
        #expect(narrow.map { $0.points.map { $0.timestamp - Self.start } } == [[70_000, 80_000, 90_000, 100_000, 110_000, 120_000]])
        #expect(narrow.first?.points.map(\.value) == [11, 11, 11, 11, 11, 12])
        try Self.send(storage, node: "n1", minute: 3, value: 10)
        try Self.send(storage, node: "n2", minute: 0, value: 20)
        #expect(try Self.values(storage) == ["n1": [10, 11, 12, 13], "n2": [20]])
        // Upkeep folds the batches into metric blocks: the kept ones are no longer listed.
        _ = try storage.compact(now: Self.start + 3_600_000, budget: 1000)
        #expect(try Self.values(storage) == ["n1": [10, 11, 12, 13], "n2": [20]])
        try Self.send(storage, node: "n2", minute: 1, value: 20)
        #expect(try Self.values(storage) == ["n1": [10, 11, 12, 13], "n2": [20, 21]])
    }

    /// A metric's own blocks (upkeep's) are listed without their data, and the points read of them
    /// kept by block and position: a replica that read them answers again from what it kept, even
    /// once their bytes are damaged in the database, where a replica that did not finds them
    /// undecodable; another metric's blocks are still fetched.
    @Test func aMetricsOwnBlocksPointsAreKeptByBlock() throws {
        guard PostgresServer.usable else { return }
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 1)
        for node in ["n1", "n2"] {
            try storage.registerNode(node, secretHash: "", at: 0)
            for minute in 0..<3 { try Self.send(storage, node: node, minute: minute, value: node == "n1" ? 10 : 20) }
        }
        _ = try storage.compact(now: Self.start + 3_600_000, budget: 1000)
        let batches = try storage.pool.withConnection { connection throws(PostgresError) in
            try connection.query("SELECT count(*) FROM blocks WHERE name = ''").int(0, 0)
        }
        #expect(batches == 0)
        let kept = storage.cachedBatchBlocks.series
        #expect(try Self.values(storage) == ["n1": [10, 11, 12], "n2": [20, 21, 22]])
        #expect(storage.cachedBatchBlocks.series == kept + 2)
        try server.administer("UPDATE blocks SET data = '\\x00'::bytea")
        #expect(try Self.values(storage) == ["n1": [10, 11, 12], "n2": [20, 21, 22]])
        let m2 = [try LabelMatcher(name: "__name__", operation: .equal, value: "m2")]
        let narrow = try storage.select(m2, start: Self.start + 60_001, end: Self.start + 70_000)
        #expect(narrow.map { $0.points.map(\.timestamp) } == [[Self.start + 70_000], [Self.start + 70_000]])
        #expect(storage.undecodableBlocks == 0)
        let m3 = [try LabelMatcher(name: "__name__", operation: .equal, value: "m3")]
        #expect(try storage.select(m3, start: Self.start, end: Self.start + 600_000).isEmpty)
        #expect(storage.undecodableBlocks == 2)
        let other = try PostgresHubStorage(conninfo: server.url(), poolSize: 1)
        #expect(try Self.values(other).isEmpty)
        #expect(other.undecodableBlocks == 2)
    }

    /// The database made again under the same name hands out the same block ids for other blocks:
    /// a replica that kept the old ones' bytes answers from the new database all the same.
    @Test func aDatabaseMadeAgainIsNotAnsweredFromTheOldOnesBlocks() throws {
        guard PostgresServer.usable else { return }
        let server = try PostgresServer()
        defer { server.stop() }
        try server.administer("CREATE DATABASE fleet")
        let storage = try PostgresHubStorage(conninfo: server.url(database: "fleet"), poolSize: 1)
        try storage.registerNode("n1", secretHash: "", at: 0)
        try Self.send(storage, node: "n1", minute: 0, value: 10)
        #expect(try Self.values(storage) == ["n1": [10]])
        try server.administer("DROP DATABASE fleet WITH (FORCE)")
        try server.administer("CREATE DATABASE fleet")
        let again = try PostgresHubStorage(conninfo: server.url(database: "fleet"), poolSize: 1)
        try again.registerNode("n1", secretHash: "", at: 0)
        try Self.send(again, node: "n1", minute: 0, value: 50)
        // The first replica's connection was ended by the drop: its first statement may fail.
        var answered = try? Self.values(storage)
        if answered == nil { answered = try Self.values(storage) }
        #expect(answered == ["n1": [50]])
    }

    /// A restarted server (as one restored from a backup must be) is another instance: what was kept goes.
    @Test func aRestartedServerIsAnotherInstance() throws {
        guard PostgresServer.usable else { return }
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 1)
        func instance() throws -> String {
            try storage.pool.withConnection { connection throws(PostgresError) in
                try PostgresHubStorage.QueryContext(name: nil, connection).instance
            }
        }
        let before = try instance()
        #expect(try instance() == before)
        try server.restart()
        // The connection was ended by the restart: its first statement may fail.
        var after = try? instance()
        if after == nil { after = try instance() }
        #expect(after != before && after?.isEmpty == false)
    }
}
