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
        try PresenceMirrorTests.follow(writer: writer, lister: lister, mirror: lister.presenceMirror, rows: rows)
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

    /// Reading a held hour's rows written since goes through an index (the table had been read
    /// whole at every listing): with sequential scans off, the plan holds none, for hours held
    /// alone and with hours read whole.
    @Test func aHeldHoursChangesAreReadThroughAnIndex() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let batch = PresenceMirrorTests().batch
        for node in ["n1", "n2", "n3"] {
            try storage.registerNode(node, secretHash: "", at: 0)
            #expect(try storage.ingest(batch(node, "a", Self.base + 60_000), receivedAt: 0))
        }
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        for whole: [Int64] in [[], [Self.base - Self.hour]] {
            let plan = try pool.withConnection { connection throws(PostgresError) -> String in
                try connection.execute("SET enable_seqscan = off")
                let explained = try connection.query(
                    "EXPLAIN " + PostgresHubStorage.presenceRefresh,
                    [.intArray(whole), .intArray([Self.base]), .int(1)]
                )
                return try (0..<explained.rowCount).map { row throws(PostgresError) in try explained.string(row, 0) }.joined(separator: "\n")
            }
            #expect(!plan.contains("Seq Scan"), "\(plan)")
            #expect(plan.contains("series_presence_changed"), "\(plan)")
        }
    }
}
