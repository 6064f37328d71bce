import EdgewatchPostgres
import Foundation
import TestServers
import Testing

/// The libpq layer against a real PostgreSQL started for the suite.
@Suite(.enabled(if: PostgresServer.usable), .serialized)
struct PostgresPoolTests {
    @Test func valuesRoundTripInBinary() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 2)
        let row = try pool.withConnection { connection throws(PostgresError) in
            let result = try connection.query(
                "SELECT $1::int8, $2::float8, $3::text, $4::bytea, $5::bool, $6::int8 IS NULL, 7::int4, 8::int2",
                [.int(-9_007_199_254_740_993), .double(-0.0), .text("née ∑ 🙂"), .bytes([0, 255, 1]), .bool(true), .null]
            )
            return (
                try result.int(0, 0), try result.double(0, 1), try result.string(0, 2), try result.bytes(0, 3), try result.bool(0, 4),
                try result.bool(0, 5), try result.int(0, 6), try result.int(0, 7)
            )
        }
        #expect(row.0 == -9_007_199_254_740_993)
        #expect(row.1 == 0 && row.1.sign == .minus)
        #expect(row.2 == "née ∑ 🙂")
        #expect(row.3 == [0, 255, 1])
        #expect(row.4 && row.5)
        #expect(row.6 == 7 && row.7 == 8)
    }

    @Test func errorsNameTheCause() throws {
        let server = try PostgresServer()
        do {
            _ = try PostgresPool(conninfo: "postgres://\(server.user):wrong@127.0.0.1:\(server.port)/postgres", size: 1)
            Issue.record("a wrong password connected")
        } catch {
            #expect(error.kind == .connection)
            #expect(error.description.contains("password authentication failed"))
        }
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        try pool.withConnection { connection throws(PostgresError) in
            try connection.execute("CREATE TABLE keys(k int8 PRIMARY KEY)")
            try connection.execute("INSERT INTO keys VALUES ($1)", [.int(1)])
        }
        do {
            try pool.withConnection { connection throws(PostgresError) in try connection.execute("INSERT INTO keys VALUES ($1)", [.int(1)]) }
            Issue.record("a duplicate key was stored")
        } catch {
            #expect(error.isUniqueViolation && error.kind == .statement && !error.isTransient)
            #expect(error.description.hasPrefix("PostgreSQL: duplicate key value violates unique constraint \"keys_pkey\""))
        }
        do {
            _ = try pool.withConnection { connection throws(PostgresError) in try connection.query("SELECT nosuch FROM keys").rowCount }
            Issue.record("an unknown column was selected")
        } catch {
            #expect(error.sqlState == "42703")
        }
        let count = try pool.withConnection { connection throws(PostgresError) in try connection.query("SELECT count(*) FROM keys").int(0, 0) }
        #expect(count == 1)
    }

    @Test func transactionsRollBackWhenTheBodyThrows() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        try pool.withConnection { connection throws(PostgresError) in try connection.execute("CREATE TABLE t(v int8)") }
        do {
            try pool.withConnection { connection throws(PostgresError) in
                try connection.transaction { connection throws(PostgresError) in
                    try connection.execute("INSERT INTO t VALUES (1)")
                    throw PostgresError(.result, "the caller changed its mind")
                }
            }
        } catch {
            #expect(error.message == "the caller changed its mind")
        }
        let stored = try pool.withConnection { connection throws(PostgresError) in
            try connection.transaction { connection throws(PostgresError) in
                try connection.execute("INSERT INTO t VALUES (2)")
                return try connection.query("SELECT coalesce(sum(v), 0)::int8 FROM t").int(0, 0)
            }
        }
        #expect(stored == 2)
    }

    /// A restarted server costs the calls in flight an error; the pool reconnects on the next.
    @Test func thePoolReconnectsAfterARestart() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 2)
        let before = try pool.withConnection { connection throws(PostgresError) in try connection.query("SELECT pg_backend_pid()").int(0, 0) }
        try server.restart()
        var after: Int64?
        for _ in 0..<3 where after == nil {
            do {
                after = try pool.withConnection { connection throws(PostgresError) in try connection.query("SELECT pg_backend_pid()").int(0, 0) }
            } catch {
                #expect(error.isTransient, "\(error)")
            }
        }
        #expect(after != nil && after != before)
    }

    /// Sessions run without JIT (a fleet query's first runs compiled for hundreds of milliseconds),
    /// unless the caller's own `options` set it; a reconnected session too.
    @Test func sessionsRunWithoutJITUnlessTheCallerSaysOtherwise() throws {
        let server = try PostgresServer()
        func jit(_ pool: PostgresPool) throws -> String {
            try pool.withConnection { connection throws(PostgresError) in try connection.query("SHOW jit").string(0, 0) }
        }
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        #expect(try jit(pool) == "off")
        try server.restart()
        for _ in 0..<3 { _ = try? jit(pool) }
        #expect(try jit(pool) == "off")
        let separator = server.url().contains("?") ? "&" : "?"
        let own = try PostgresPool(conninfo: server.url() + separator + "options=-c%20jit%3Don", size: 1)
        #expect(try jit(own) == "on")
    }

    /// Calls one after another are lent the same, warm connection, and the others are never opened.
    @Test func aCallerAloneKeepsTheFirstConnection() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 4)
        var pids: Set<Int64> = []
        for _ in 0..<10 {
            pids.insert(try pool.withConnection { connection throws(PostgresError) in try connection.query("SELECT pg_backend_pid()").int(0, 0) })
        }
        #expect(pids.count == 1)
        let (outer, inner, sessions) = try pool.withConnection { outer throws(PostgresError) in
            let inner = try pool.withConnection { connection throws(PostgresError) in try connection.query("SELECT pg_backend_pid()").int(0, 0) }
            let sessions = try outer.query("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'").int(0, 0)
            return (try outer.query("SELECT pg_backend_pid()").int(0, 0), inner, sessions)
        }
        #expect(pids == [outer] && inner != outer)
        #expect(sessions == 2)
    }

    @Test func connectionsAreLentToOneCallerAtATime() async throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 3)
        try pool.withConnection { connection throws(PostgresError) in try connection.execute("CREATE TABLE t(worker int8, n int8)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for n in 0..<50 {
                        try pool.withConnection { connection throws(PostgresError) in
                            try connection.transaction { connection throws(PostgresError) in
                                try connection.execute("INSERT INTO t VALUES ($1, $2)", [.int(Int64(worker)), .int(Int64(n))])
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let rows = try pool.withConnection { connection throws(PostgresError) in
            try connection.query("SELECT count(*), count(DISTINCT (worker, n)) FROM t").int(0, 1)
        }
        #expect(rows == 400)
    }
}
