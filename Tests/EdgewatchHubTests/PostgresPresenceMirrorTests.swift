import EdgewatchCore
import EdgewatchPostgres
import EdgewatchWire
import TestServers
import Testing

@testable import EdgewatchHub

/// A PostgreSQL replica's label listings keep the presence rows of the hours they read
/// (``PresenceMirror``): what another replica's ingest, upkeep and reports commit meanwhile, or a
/// transaction still running while a listing read, is in the next listing.
@Suite(.enabled(if: PostgresServer.usable))
struct PostgresPresenceMirrorTests {
    static let hour: Int64 = 3_600_000
    static let base = HubStorageContractTests.window

    @Test func theNextListingSeesWhatAnotherReplicaCommitted() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let (writer, lister) = (
            try PostgresHubStorage(conninfo: server.url(), poolSize: 2), try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        )
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        func rows() throws -> Int {
            Int(
                try pool.withConnection { connection throws(PostgresError) in try connection.query("SELECT count(*) FROM series_presence").int(0, 0) }
            )
        }
        let batch = PresenceMirrorTests().batch
        let (start, hourEnd) = (Self.base, Self.base + Self.hour - 1)
        for node in ["n1", "n2"] { try writer.registerNode(node, secretHash: "", at: 0) }
        #expect(try writer.ingest(batch("n1", "a", start + 60_000), receivedAt: 0))
        #expect(try lister.labelValuesFromSummary("__name__", start: start, end: hourEnd) == ["a"])
        // A row added to a held hour, and one widened: the window past the first batch has its point.
        #expect(try writer.ingest(batch("n1", "b", start + 120_000), receivedAt: 0))
        #expect(try writer.ingest(batch("n2", "a", start + 120_000), receivedAt: 0))
        #expect(try lister.labelValuesFromSummary("__name__", start: start, end: hourEnd)?.sorted() == ["a", "b"])
        #expect(try writer.ingest(batch("n1", "a", start + 600_000), receivedAt: 0))
        #expect(try lister.labelValuesFromSummary("node", start: start + 500_000, end: start + 700_000) == ["n1"])
        #expect(lister.presenceMirror.count == (try rows()))
        // A report on the other replica changes a node's cluster.
        #expect(try lister.labelValuesFromSummary("cluster", start: start, end: hourEnd) == [])
        try writer.report(NodeReport(cluster: "east"), node: "n1")
        #expect(try lister.labelValuesFromSummary("cluster", start: start, end: hourEnd) == ["east"])
        try writer.report(NodeReport(cluster: "west"), node: "n1")
        #expect(try lister.labelValuesFromSummary("cluster", start: start, end: hourEnd) == ["west"])
        // Upkeep on the other replica merges the settled hour's rows of a node into one: the
        // rows it deleted are forgotten.
        _ = try writer.compact(now: start + 3 * Self.hour, budget: 10_000)
        #expect(try rows() == 2)
        #expect(try lister.labelValuesFromSummary("__name__", start: start, end: hourEnd)?.sorted() == ["a", "b"])
        #expect(lister.presenceMirror.count == 2)
        #expect(try lister.labelValuesFromSummary("node", start: start + 500_000, end: start + 700_000) == ["n1"])
        // Windows over several hours, and over more than a week: the hours with rows.
        #expect(try writer.ingest(batch("n2", "c", start + Self.hour + 60_000), receivedAt: 0))
        #expect(try lister.labelValuesFromSummary("__name__", start: start, end: start + 2 * Self.hour)?.sorted() == ["a", "b", "c"])
        #expect(try lister.labelValuesFromSummary("__name__", start: start + Self.hour, end: start + 2 * Self.hour) == ["c"])
        let month = 30 * 24 * Self.hour
        #expect(try lister.labelValuesFromSummary("__name__", start: start - month, end: start + month)?.sorted() == ["a", "b", "c"])
        #expect(try lister.labelValuesFromSummary("node", start: .min, end: .max)?.sorted() == ["n1", "n2"])
        #expect(lister.presenceMirror.count == (try rows()))
    }

    /// A row written by a transaction that was running when a listing read its hour (not in the
    /// listing's snapshot) and committed after: the next listing reads it.
    @Test func aRowCommittedAfterAListingReadItsHourIsReadByTheNext() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let batch = PresenceMirrorTests().batch
        let start = Self.base
        for node in ["n1", "n2"] {
            try storage.registerNode(node, secretHash: "", at: 0)
            #expect(try storage.ingest(batch(node, "a", start + 60_000), receivedAt: 0))
        }
        #expect(try storage.ingest(batch("n1", "a", start + 600_000), receivedAt: 0))
        let later = (start: start + 500_000, end: start + 700_000)
        #expect(try storage.labelValuesFromSummary("node", start: later.start, end: later.end) == ["n1"])
        // As ingest would: n2's row widened to a point in the window, in a transaction left open
        // while a later one commits (n1's next batch) and the listing reads.
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let during = try pool.withConnection { connection throws(PostgresError) -> [String]? in
            try connection.transaction { connection throws(PostgresError) -> [String]? in
                try connection.execute(
                    "UPDATE series_presence SET max_ts = $1, changed = pg_current_xact_id()::text::int8 WHERE node = 'n2'",
                    [.int(start + 600_000)]
                )
                guard (try? storage.ingest(batch("n1", "a", start + 660_000), receivedAt: 0)) == true else { return nil }
                return try? storage.labelValuesFromSummary("node", start: later.start, end: later.end)
            }
        }
        #expect(during == ["n1"])
        #expect(try storage.labelValuesFromSummary("node", start: later.start, end: later.end)?.sorted() == ["n1", "n2"])
    }
}
