import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPostgres
import EdgewatchPromQL
import EdgewatchWire
import TestServers
import Testing

/// A PostgreSQL query lists a node's blocks with each series list sent once while it repeats,
/// known by the blocks' digests; blocks stored before digests existed send theirs every time.
@Suite struct PostgresBlockListingTests {
    @Test func listsChangingAndRepeatedSeriesListsWithAndWithoutDigests() throws {
        guard PostgresServer.usable else { return }
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let start = HubStorageContractTests.window
        try storage.registerNode("n1", secretHash: "", at: 0)
        // Six one-minute batches: the first two carry 20 series, the others 30 (the list changes).
        for minute in 0..<6 {
            let width = minute < 2 ? 20 : 30
            let points = (0..<width).map { index in
                (key: SeriesKey(name: "m\(index)", labels: [:], type: .gauge), points: [(start + Int64(minute) * 60_000, [Double(minute)])])
            }
            let sequence = start + Int64(minute) * 60_000
            let batch = UplinkBatch(node: "n1", stream: "metrics/raw/60s", sequence: sequence, tier: .raw, points: points, columns: 1)
            #expect(try storage.ingest(batch, receivedAt: 0))
        }
        let digests = try pool.withConnection { connection throws(PostgresError) in
            try connection.query("SELECT count(*) FROM blocks WHERE series_digest IS NOT NULL").int(0, 0)
        }
        #expect(digests == 6)
        func minutes(_ name: String) throws -> [Double] {
            let matchers = [try LabelMatcher(name: "__name__", operation: .equal, value: name)]
            return try storage.select(matchers, start: start, end: start + 600_000).first?.points.map(\.value) ?? []
        }
        #expect(try minutes("m5") == [0, 1, 2, 3, 4, 5])
        #expect(try minutes("m25") == [2, 3, 4, 5])
        // Blocks from before the digests: the first of each list and one repeating it.
        _ = try pool.withConnection { connection throws(PostgresError) in
            try connection.execute(
                "UPDATE blocks SET series_digest = NULL WHERE min_ts IN ($1, $2, $3)",
                [.int(start + 60_000), .int(start + 120_000), .int(start + 240_000)]
            )
        }
        #expect(try minutes("m5") == [0, 1, 2, 3, 4, 5])
        #expect(try minutes("m25") == [2, 3, 4, 5])
        #expect(try minutes("m19") == [0, 1, 2, 3, 4, 5])
        // Compaction's blocks (one per metric) carry digests too.
        _ = try storage.compact(now: start + 3_600_000, budget: 100)
        let (rows, named, undigested) = try pool.withConnection { connection throws(PostgresError) in
            let counts = try connection.query(
                "SELECT count(*), count(*) FILTER (WHERE name <> ''), count(*) FILTER (WHERE series_digest IS NULL) FROM blocks"
            )
            return (try counts.int(0, 0), try counts.int(0, 1), try counts.int(0, 2))
        }
        #expect(rows == 30 && named == 30 && undigested == 0)
        #expect(try minutes("m5") == [0, 1, 2, 3, 4, 5])
        #expect(try minutes("m25") == [2, 3, 4, 5])
        #expect(storage.undecodableBlocks == 0)
    }

    /// A query over more nodes than a listing names lists every node's blocks and keeps only the
    /// wanted nodes' series; one over a few names them. Both read metric and batch blocks alike.
    @Test func manyNodesAreListedWholeAndFewByName() throws {
        guard PostgresServer.usable else { return }
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let start = HubStorageContractTests.window
        let nodes = (0..<(PostgresHubStorage.nodesNamed + 6)).map { "n-\($0)" }
        func ingest(minute: Int64) throws {
            for (index, node) in nodes.enumerated() {
                let time = start + minute * 60_000
                let points = (0..<3).map { (key: SeriesKey(name: "m\($0)", labels: [:], type: .gauge), points: [(time, [Double(index)])]) }
                let batch = UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: time, tier: .raw, points: points, columns: 1)
                #expect(try storage.ingest(batch, receivedAt: 0))
            }
        }
        try ingest(minute: 0)
        _ = try storage.compact(now: start + 3_600_000, budget: 1000)  // the first minute as metric blocks
        try ingest(minute: 20)  // the next as batch blocks
        func values(_ matchers: [LabelMatcher]) throws -> [String: [Double]] {
            let m1 = try LabelMatcher(name: "__name__", operation: .equal, value: "m1")
            let series = try storage.select([m1] + matchers, start: start, end: start + 3_600_000)
            return Dictionary(uniqueKeysWithValues: series.map { ($0.labels["node"] ?? "", $0.points.map(\.value)) })
        }
        let every = try values([])
        #expect(every.count == nodes.count && every["n-7"] == [7, 7] && every["n-69"] == [69, 69])
        let few = try values([try LabelMatcher(name: "node", operation: .matches, value: "n-(1|2|3)")])
        #expect(few == ["n-1": [1, 1], "n-2": [2, 2], "n-3": [3, 3]])
        let most = try values([try LabelMatcher(name: "node", operation: .notEqual, value: "n-0")])
        #expect(most.count == nodes.count - 1 && most["n-0"] == nil && most["n-5"] == [5, 5])
        #expect(storage.undecodableBlocks == 0)
    }
}
