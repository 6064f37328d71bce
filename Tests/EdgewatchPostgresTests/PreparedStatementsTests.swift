import Foundation
import TestServers
import Testing

@testable import EdgewatchPostgres

/// Statements prepared on their second run, and what happens when the server stops holding them.
@Suite struct PreparedStatementsTests {
    private let select = PreparedStatements.Key(sql: "SELECT $1::int8", types: [20])

    @Test func aStatementIsPreparedTheSecondTimeItRuns() {
        var statements = PreparedStatements(prefix: "edgewatch_")
        #expect(statements.plan(select) == .unnamed)
        #expect(statements.plan(select) == .prepare("edgewatch_1"))
        statements.prepared(select, as: "edgewatch_1")
        #expect(statements.plan(select) == .prepared("edgewatch_1"))
        // The same text with other parameter types is another statement.
        let other = PreparedStatements.Key(sql: select.sql, types: [25])
        #expect(statements.plan(other) == .unnamed)
        // A forgotten statement gets a new name: the old one may still be prepared on the server.
        statements.forget(select)
        #expect(statements.plan(select) == .unnamed)
        #expect(statements.plan(select) == .prepare("edgewatch_2"))
    }

    /// Behind a pooler one connection's statement may be looked up in another's session: there
    /// the name must be missing (an error), never another statement.
    @Test func everyConnectionNamesItsStatementsApart() {
        let (first, second) = (PreparedStatements(), PreparedStatements())
        #expect(first.prefix != second.prefix)
        #expect(first.prefix.hasPrefix("edgewatch_") && first.prefix.utf8.count < 40, "within PostgreSQL's 63-byte names")
    }

    @Test func preparedStatementsAreBoundedAndEndWithTheSession() {
        var statements = PreparedStatements(capacity: 2)
        for n in 0..<3 {
            let key = PreparedStatements.Key(sql: "SELECT \(n) + $1", types: [20])
            _ = statements.plan(key)
            if case .prepare(let name) = statements.plan(key) { statements.prepared(key, as: name) }
        }
        #expect(statements.count == 2)
        statements.reset()
        #expect(statements.count == 0 && statements.plan(select) == .unnamed)
        statements.disable()
        #expect(statements.plan(select) == .unnamed && statements.plan(select) == .unnamed)
        statements.reset()
        #expect(statements.disabled, "a pooler found before is still there after a reconnect")
    }
}

/// The same against a real PostgreSQL.
@Suite(.enabled(if: PostgresServer.usable), .serialized)
struct PreparedStatementsServerTests {
    private static func prepared(_ connection: PostgresConnection) throws(PostgresError) -> [String] {
        let rows = try connection.query("SELECT name FROM pg_prepared_statements ORDER BY name")
        var names: [String] = []
        for row in 0..<rows.rowCount { names.append(try rows.string(row, 0)) }
        return names
    }

    @Test func aRepeatedStatementIsParsedOncePerSession() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let (sums, names) = try pool.withConnection { connection throws(PostgresError) in
            var sums: [Int64] = []
            for n in Int64(1)...4 { sums.append(try connection.query("SELECT $1::int8 + $2::int8", [.int(n), .int(10)]).int(0, 0)) }
            return (sums, try Self.prepared(connection))
        }
        #expect(sums == [11, 12, 13, 14])
        #expect(names.count == 1 && names.allSatisfy { $0.hasPrefix("edgewatch_") && $0.hasSuffix("_1") }, "\(names)")
    }

    /// A migration changing a prepared statement's result type: outside a transaction the
    /// statement runs again unnamed at once; inside one, the error ends it, and the next run is right.
    @Test func aSchemaChangeUnderAPreparedStatementCostsAtMostOneError() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let other = try PostgresPool(conninfo: server.url(), size: 1)
        let sql = "SELECT * FROM t WHERE k >= $1"
        try pool.withConnection { connection throws(PostgresError) in
            try connection.execute("CREATE TABLE t(k int8)")
            try connection.execute("INSERT INTO t VALUES ($1)", [.int(1)])
            for _ in 0..<2 { _ = try connection.query(sql, [.int(0)]) }
        }
        try other.withConnection { connection throws(PostgresError) in try connection.execute("ALTER TABLE t ADD COLUMN v int8 DEFAULT 7") }
        let columns = try pool.withConnection { connection throws(PostgresError) in try connection.query(sql, [.int(0)]).columnCount }
        #expect(columns == 2)
        // Prepared again, changed again, then run inside a transaction.
        try pool.withConnection { connection throws(PostgresError) in for _ in 0..<2 { _ = try connection.query(sql, [.int(0)]) } }
        try other.withConnection { connection throws(PostgresError) in try connection.execute("ALTER TABLE t ADD COLUMN w int8") }
        do {
            _ = try pool.withConnection { connection throws(PostgresError) in
                try connection.snapshot { connection throws(PostgresError) in try connection.query(sql, [.int(0)]).columnCount }
            }
            Issue.record("a changed plan ran inside a transaction")
        } catch {
            #expect(error.sqlState == "0A000", "\(error)")
        }
        let after = try pool.withConnection { connection throws(PostgresError) in
            try connection.snapshot { connection throws(PostgresError) in try connection.query(sql, [.int(0)]).columnCount }
        }
        #expect(after == 3)
    }

    /// Statements that do not stay prepared (as behind a pooler lending another session per
    /// transaction, here `DEALLOCATE ALL`): the statement runs unnamed and nothing is prepared again.
    @Test func statementsThatDoNotStayPreparedRunUnnamed() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let (values, names) = try pool.withConnection { connection throws(PostgresError) in
            var values: [Int64] = []
            for n in Int64(1)...2 { values.append(try connection.query("SELECT $1::int8 * 2", [.int(n)]).int(0, 0)) }
            try connection.executeScript("DEALLOCATE ALL")
            for n in Int64(3)...6 { values.append(try connection.query("SELECT $1::int8 * 2", [.int(n)]).int(0, 0)) }
            return (values, try Self.prepared(connection))
        }
        #expect(values == [2, 4, 6, 8, 10, 12])
        #expect(names.isEmpty)
    }
}
