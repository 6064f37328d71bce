import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire
import Testing

@testable import EdgewatchHub

/// Presence rows carry what their series are labelled (``PresenceContentDigest``), so the first
/// label listing after a start looks up one list per content and cluster, not every node's: on
/// both backends, with the answers the blocks give; rows stored without a digest are looked up
/// as before, and get one when a batch widens them.
@Suite struct ContentDigestListingTests {
    static let base = HubStorageContractTests.window
    static let hour: Int64 = 3_600_000
    /// Twenty nodes in each of two clusters with the same series, and one more in `a` with one of its own.
    static let nodes = (0..<40).map { "n\($0)" } + ["odd"]

    static func cluster(_ node: String) -> String {
        node == "odd" || (Int(node.dropFirst()) ?? 0) < 20 ? "a" : "b"
    }

    /// A minute's batch of `node`: two points of each series, 30 s apart.
    static func batch(_ node: String, at time: Int64) -> UplinkBatch {
        var series = [
            SeriesKey(name: "cpu", labels: ["mode": "user"], type: .gauge), SeriesKey(name: "cpu", labels: ["mode": "system"], type: .gauge),
            SeriesKey(name: "mem", labels: [:], type: .gauge),
        ]
        if node == "odd" { series.append(SeriesKey(name: "extra", labels: ["x": "1"], type: .gauge)) }
        let points = series.map { (key: $0, points: [(time, [1.0]), (time + 30_000, [2.0])]) }
        return UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: time, tier: .raw, points: points, columns: 1)
    }

    /// How a batch brings its series table: inline only (an older agent), inline and named by
    /// its hash (a table the hub does not hold yet), or named alone (the steady state).
    enum Table { case inline, named, referenced }

    static func ingest(_ storage: any HubStorage, at time: Int64, table: Table = .inline) throws {
        for node in nodes {
            var batch = batch(node, at: time)
            if table != .inline { batch.seriesReference = UplinkBatch.seriesTableHash(batch.series) }
            if table == .referenced { batch.series = [] }
            #expect(try storage.ingest(batch, receivedAt: 0))
        }
    }

    /// Lists looked up so far (``ListLabelsCache/count``).
    static func lookedUp(_ storage: any HubStorage) -> Int {
        (storage as? SQLiteHubStorage)?.listLabels.count ?? (storage as? PostgresHubStorage)?.listLabels.count ?? -1
    }

    /// Label names and the values of `mode` and `cluster` over the hour (each row inside), and
    /// over a window holding only the rows' last points (each row reaching past its start).
    static func expectListings(_ storage: any HubStorage, lookups: Int, _ comment: String) throws {
        let (start, end) = (base, base + hour - 1)
        #expect(
            try storage.labelValuesFromSummary(nil, start: start, end: end)?.sorted() == ["__name__", "cluster", "mode", "node", "x"],
            "\(comment)"
        )
        #expect(try storage.labelValuesFromSummary("mode", start: start, end: end)?.sorted() == ["system", "user"], "\(comment)")
        #expect(try storage.labelValuesFromSummary("cluster", start: start, end: end)?.sorted() == ["a", "b"], "\(comment)")
        #expect(lookedUp(storage) == lookups, "\(comment)")
        let (edgeStart, edgeEnd) = (base + 85_000, base + 100_000)
        #expect(try storage.labelValuesFromSummary(nil, start: edgeStart, end: edgeEnd)?.sorted() == ["__name__", "cluster", "mode", "node", "x"])
        #expect(try storage.labelValuesFromSummary("__name__", start: edgeStart, end: edgeEnd)?.sorted() == ["cpu", "extra", "mem"])
        #expect(try storage.labelValuesFromSummary("x", start: edgeStart, end: edgeEnd) == ["1"])
        #expect(lookedUp(storage) <= 2 * lookups, "\(comment)")
    }

    @Test(arguments: HubStorageBackend.available)
    func aColdListingLooksUpOneListPerContentAndCluster(_ backend: HubStorageBackend) throws {
        try backend.withStores { open, execute in
            let writer = try open()
            for node in Self.nodes {
                try writer.registerNode(node, secretHash: "", at: 0)
                try writer.report(NodeReport(cluster: Self.cluster(node)), node: node)
            }
            try Self.ingest(writer, at: Self.base + 60_000)
            // A store started afresh (another replica on PostgreSQL): three contents and clusters.
            try Self.expectListings(try open(), lookups: 3, "with digests")
            // Rows stored before the digest was kept: every node's list is looked up.
            try execute("UPDATE series_presence SET content = NULL")
            try Self.expectListings(try open(), lookups: Self.nodes.count, "without digests")
            // A batch widening them gives them their digest: one naming its table (and bringing
            // it, or not, as an agent does once the hub holds it).
            try Self.ingest(writer, at: Self.base + 180_000, table: .named)
            try Self.expectListings(try open(), lookups: 3, "widened, the table named and brought")
            try execute("UPDATE series_presence SET content = NULL")
            try Self.ingest(writer, at: Self.base + 300_000, table: .referenced)
            try Self.expectListings(try open(), lookups: 3, "widened, the table named alone")
        }
    }

    /// A database whose presence rows predate the digest gets the column at its next start.
    @Test func sqliteAddsTheColumnToAnOlderTable() throws {
        try HubStorageBackend.sqlite.withStores { open, execute in
            try Self.ingest(try open(), at: Self.base + 60_000)
            try execute("ALTER TABLE series_presence DROP COLUMN content")
            let storage = try open()
            try Self.ingest(storage, at: Self.base + 180_000)
            try execute("SELECT count(content) FROM series_presence")
            #expect(try storage.labelValuesFromSummary("mode", start: Self.base, end: Self.base + Self.hour - 1)?.sorted() == ["system", "user"])
        }
    }
}
