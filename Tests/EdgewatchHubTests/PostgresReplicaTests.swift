import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchPromQL
import EdgewatchWire
import TestServers
import Testing

@testable import EdgewatchHub

/// Several hub replicas on one PostgreSQL.
@Suite(.enabled(if: PostgresServer.usable))
struct PostgresReplicaTests {
    static let window: Int64 = 1_800_000_000_000 / 60_000 * 60_000

    func batch(node: String, sequence: Int64, series: Int) -> UplinkBatch {
        UplinkBatch(
            node: node,
            stream: "metrics/1m/60s",
            sequence: sequence,
            tier: .minute,
            points: (0..<series).map { index in
                (key: SeriesKey(name: "m\(index % 7)", labels: ["i": "\(index)"], type: .gauge), points: [(sequence, [1, 2, 3, 4, Double(index)])])
            },
            columns: 5
        )
    }

    /// The same batches sent to two replicas at once, by several senders each: every batch is
    /// stored exactly once, and both replicas answer every copy (stored or duplicate) without error.
    @Test func concurrentCopiesAreStoredOnce() async throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let replicas = [
            try PostgresHubStorage(conninfo: server.url(), poolSize: 4), try PostgresHubStorage(conninfo: server.url(), poolSize: 4),
        ]
        let batches = (0..<6).flatMap { minute in
            ["a", "b"].map { batch(node: $0, sequence: Self.window + Int64(minute) * 60_000, series: 50) }
        }
        let stored = try await withThrowingTaskGroup(of: Int.self) { group in
            for sender in 0..<8 {
                group.addTask {
                    var stored = 0
                    for batch in batches where try replicas[sender % 2].ingest(batch, receivedAt: 0) { stored += 1 }
                    return stored
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(stored == batches.count)
        for replica in replicas {
            let nodes = try replica.nodes()
            #expect(nodes.isEmpty)  // never registered: counters live on the node's row
            let all = try replica.select([try LabelMatcher(name: "i", operation: .matches, value: ".+")], start: 0, end: .max)
            #expect(all.count == 100)
            #expect(all.allSatisfy { $0.points.count == 6 })
        }
    }

    /// A replica keeps the label sets its queries read; series another replica adds later are
    /// read at the next query, each with its own labels.
    @Test func queriesSeeSeriesAddedAfterThemOnAnotherReplica() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let writer = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let reader = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let m0 = [try LabelMatcher(name: "__name__", operation: .equal, value: "m0")]
        func labels() throws -> [String] {
            try reader.select(m0, start: 0, end: .max).map { "\($0.labels["node"] ?? "")/\($0.labels["i"] ?? "")" }.sorted()
        }
        _ = try writer.ingest(batch(node: "a", sequence: Self.window, series: 8), receivedAt: 0)
        #expect(try labels() == ["a/0", "a/7"])
        _ = try writer.ingest(batch(node: "b", sequence: Self.window, series: 15), receivedAt: 0)
        _ = try writer.ingest(batch(node: "a", sequence: Self.window + 60_000, series: 15), receivedAt: 0)
        #expect(try labels() == ["a/0", "a/14", "a/7", "b/0", "b/14", "b/7"])
        #expect(try reader.select(m0, start: 0, end: .max).allSatisfy { $0.labels["__name__"] == "m0" })
    }

    /// Series leave a replica's caches once unused for two ages (a fleet's churned series do not
    /// stay in memory); coming back, they are found by key with the ids they had, and queries
    /// read their labels again.
    @Test func seriesLeftOutOfTheCachesAreFoundAgain() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let m0 = [try LabelMatcher(name: "__name__", operation: .equal, value: "m0")]
        _ = try storage.ingest(batch(node: "a", sequence: Self.window, series: 14), receivedAt: 1_000)
        let before = try storage.select(m0, start: 0, end: .max)
        #expect(storage.knownIDs.withLock { $0.count } == 14)
        #expect(storage.cachedSeries == (14, 2))
        // Two ages with no use.
        let later = 1_000 + 2 * RecentEntries<Labels, Int64>.seriesAge
        storage.knownIDs.withLock { $0.insert([:], now: later) }
        storage.seriesLabels.withLock { $0.insert([:], now: HubClock.now() + 2 * RecentEntries<Labels, Int64>.seriesAge) }
        #expect(storage.knownIDs.withLock { $0.count } == 0)
        #expect(storage.seriesLabels.withLock { $0.count } == 0)
        _ = try storage.ingest(batch(node: "a", sequence: Self.window + 60_000, series: 14), receivedAt: later)
        #expect(storage.knownIDs.withLock { $0.count } == 14)
        let after = try storage.select(m0, start: 0, end: .max)
        #expect(after.map(\.labels) == before.map(\.labels))
        #expect(after.allSatisfy { $0.points.count == 2 })
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let rows = try pool.withConnection { connection throws(PostgresError) -> Int64 in
            try connection.query("SELECT count(*) FROM series").int(0, 0)
        }
        #expect(rows == 14)
    }

    /// The tables upkeep churns are vacuumed by dead rows, not by a fifth of the table; the
    /// series table by its inserts (migration 9) and by the rows retention deletes (migration 13).
    /// Block data stays in its row up to a page and is never compressed again (migration 10).
    @Test func churnedTablesAreVacuumedEarly() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        _ = try PostgresHubStorage(conninfo: server.url(), poolSize: 1)
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let options = try pool.withConnection { connection throws(PostgresError) -> [String: String] in
            let rows = try connection.query(
                "SELECT relname::text, array_to_string(reloptions, ',') FROM pg_class WHERE relname IN ('blocks', 'series')"
            )
            var options: [String: String] = [:]
            for row in 0..<rows.rowCount { options[try rows.string(row, 0)] = try rows.string(row, 1) }
            return options
        }
        #expect(options["blocks"]?.contains("autovacuum_vacuum_threshold=1000") == true)
        #expect(options["blocks"]?.contains("autovacuum_vacuum_scale_factor=0.01") == true)
        #expect(options["series"]?.contains("autovacuum_vacuum_insert_scale_factor=0.01") == true)
        #expect(options["series"]?.contains("autovacuum_vacuum_scale_factor=0.01") == true)
        #expect(options["series"]?.contains("autovacuum_vacuum_threshold=1000") == true)
        #expect(options["blocks"]?.contains("toast_tuple_target=8160") == true)
        let storage = try pool.withConnection { connection throws(PostgresError) -> String in
            try connection.query("SELECT attstorage::text FROM pg_attribute WHERE attrelid = 'blocks'::regclass AND attname = 'data'").string(0, 0)
        }
        #expect(storage == "e")  // external: kept whole, never compressed again
    }

    /// A replica older than the database's schema (another replica already upgraded it) refuses
    /// to start rather than write what it does not know, naming both versions.
    @Test func aReplicaRefusesASchemaANewerHubApplied() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        _ = try PostgresHubStorage(conninfo: server.url(), poolSize: 1)
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        _ = try pool.withConnection { connection throws(PostgresError) in
            try connection.execute("INSERT INTO edgewatch_schema VALUES (99, now())")
        }
        #expect {
            _ = try PostgresHubStorage(conninfo: server.url(), poolSize: 1)
        } throws: { error in
            "\(error)".contains("schema version 99") && "\(error)".contains("a newer edgewatch created it")
        }
    }

    /// A replica started later sees the schema applied once and the series and nodes the first stored.
    @Test func aLaterReplicaSharesEverything() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let first = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        try first.registerNode("a", secretHash: "h", at: 1)
        #expect(try first.ingest(batch(node: "a", sequence: Self.window, series: 3), receivedAt: 2))
        let second = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        #expect(try second.nodeSecretHash("a") == "h")
        #expect(try !second.ingest(batch(node: "a", sequence: Self.window, series: 3), receivedAt: 3))
        #expect(try second.ingest(batch(node: "a", sequence: Self.window + 60_000, series: 4), receivedAt: 4))
        let selected = try first.select([try LabelMatcher(name: "__name__", operation: .equal, value: "m0")], start: 0, end: .max)
        #expect(selected.map(\.points.count) == [2])
        let node = try #require(try second.nodes().first)
        #expect(node.batches == 2 && node.duplicates == 1 && node.samples == 7)
    }
}
