import EdgewatchPostgres
import TestServers
import Testing

@testable import EdgewatchHub

/// A PostgreSQL replica reads of a metric's ids only those added since it last read them
/// (``MetricIDsCache``): a series added by a transaction that commits after a later one is taken
/// all the same, and one retention deleted (its node's epoch bumped) is no longer.
@Suite struct MetricIDsCacheTests {
    @Test func mergesAddedIDsInOrderWithoutRepeats() {
        #expect(MetricIDsCache.merged([1, 3, 5], []) == [1, 3, 5])
        #expect(MetricIDsCache.merged([1, 3, 5], [6, 2, 3, 2]) == [1, 2, 3, 5, 6])
        #expect(MetricIDsCache.merged([], [4, 0]) == [0, 4])
    }

    /// The ids of `name` a query's context takes, and those the table holds, in one snapshot.
    static func ids(_ storage: PostgresHubStorage, _ name: String) throws(PostgresError) -> (taken: [Int64], stored: [Int64]) {
        try storage.pool.withConnection { connection throws(PostgresError) in
            try connection.snapshot { connection throws(PostgresError) in
                let taken = try storage.queryContext(name: name, from: .min, connection).ids
                let sql = "SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM series WHERE name = $1"
                return (taken, try connection.query(sql, [.text(name)]).intArray(0, 0))
            }
        }
    }

    static func add(_ key: String, _ connection: PostgresConnection) throws(PostgresError) {
        _ = try connection.execute("INSERT INTO series(key, name, labels, type) VALUES ($1, 'm', '', 0)", [.text(key)])
    }

    @Test func seriesAddedSinceAreTakenEvenWhenTheyCommitLateAndDeletedOnesGo() throws {
        guard PostgresServer.usable else { return }
        let server = try PostgresServer()
        defer { server.stop() }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 1)
        try storage.registerNode("n1", secretHash: "", at: 0)
        let other = try PostgresPool(conninfo: server.url(), size: 2)
        try other.withConnection { connection throws(PostgresError) in try Self.add("first", connection) }
        var (taken, stored) = try Self.ids(storage, "m")
        #expect(taken == stored && taken.count == 1)
        // A transaction adds a series and stays open; meanwhile another adds one and commits.
        let meanwhile = try other.withConnection { late throws(PostgresError) in
            try late.executeScript("BEGIN")
            try Self.add("late", late)
            let before = try Self.ids(storage, "m")
            try other.withConnection { connection throws(PostgresError) in try Self.add("second", connection) }
            let after = try Self.ids(storage, "m")
            try late.executeScript("COMMIT")
            return [before, after]
        }
        #expect(meanwhile.map { $0.taken == $0.stored } == [true, true])
        #expect(meanwhile.map(\.taken.count) == [1, 2])
        (taken, stored) = try Self.ids(storage, "m")
        #expect(taken == stored && taken.count == 3)
        #expect(storage.metricIDs.withLock { $0.count } == 1)
        // Retention deletes a series and bumps its node's epoch in one transaction.
        try other.withConnection { connection throws(PostgresError) in
            try connection.executeScript(
                "BEGIN; DELETE FROM series WHERE key = 'second'; UPDATE nodes SET series_epoch = series_epoch + 1 WHERE name = 'n1'; COMMIT"
            )
        }
        (taken, stored) = try Self.ids(storage, "m")
        #expect(taken == stored && taken.count == 2)
        try other.withConnection { connection throws(PostgresError) in try Self.add("third", connection) }
        (taken, stored) = try Self.ids(storage, "m")
        #expect(taken == stored && taken.count == 3)
    }

    /// A database dropped and made again under the same name (the same server: its transaction ids
    /// go on) with the same epochs: the ids kept of the old one are not taken with the new one's.
    @Test func aDatabaseMadeAgainIsReadWhole() throws {
        guard PostgresServer.usable else { return }
        let server = try PostgresServer()
        defer { server.stop() }
        try server.administer("CREATE DATABASE fleet")
        let storage = try PostgresHubStorage(conninfo: server.url(database: "fleet"), poolSize: 1)
        try storage.pool.withConnection { connection throws(PostgresError) in
            for key in ["a", "b"] { try Self.add(key, connection) }
        }
        #expect(try Self.ids(storage, "m").taken.count == 2)
        try server.administer("DROP DATABASE fleet WITH (FORCE)")
        try server.administer("CREATE DATABASE fleet")
        let again = try PostgresHubStorage(conninfo: server.url(database: "fleet"), poolSize: 1)
        try again.pool.withConnection { connection throws(PostgresError) in
            _ = try connection.execute("INSERT INTO series(key, name, labels, type) VALUES ('x', 'other', '', 0)")
            try Self.add("c", connection)
        }
        // The first replica's connection was ended by the drop: its first statement may fail.
        var read = try? Self.ids(storage, "m")
        if read == nil { read = try Self.ids(storage, "m") }
        #expect(read.map { $0.taken == $0.stored && $0.taken.count == 1 } == true)
    }
}
