import EdgewatchPostgres
import Foundation
import TestServers
import Testing

/// A read-only snapshot's COMMIT goes without waiting for its answer, which the connection's next
/// use reads first.
@Suite(.enabled(if: PostgresServer.usable), .serialized)
struct PostgresSnapshotTests {
    @Test("the transaction ends on the server at once; the next loan keeps the connection and runs outside it")
    func aSnapshotsCommitIsReadByTheNextUse() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let observer = try PostgresPool(conninfo: server.url(), size: 1)
        func backend() throws -> Int64 {
            try pool.withConnection { connection throws(PostgresError) -> Int64 in
                try connection.snapshot { connection throws(PostgresError) -> Int64 in try connection.query("SELECT pg_backend_pid()").int(0, 0) }
            }
        }
        let first = try backend()
        // Nothing read the COMMIT's answer yet; the server has ended the transaction all the same.
        var state = ""
        for _ in 0..<100 {
            state = try observer.withConnection { connection throws(PostgresError) -> String in
                try connection.query("SELECT state FROM pg_stat_activity WHERE pid = $1", [.int(first)]).string(0, 0)
            }
            if state == "idle" { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(state == "idle")
        // The pool lends the same session again (a connection with an answer unread had been
        // taken for one left in a transaction, and reopened).
        for _ in 0..<3 { #expect(try backend() == first) }
        let outside = try pool.withConnection { connection throws(PostgresError) -> (Bool, Int64) in
            let result = try connection.query("SELECT current_setting('transaction_read_only') = 'off', pg_backend_pid()")
            return (try result.bool(0, 0), try result.int(0, 1))
        }
        #expect(outside.0 && outside.1 == first, "the next statement ran inside the snapshot's transaction")
        // A script, and a transaction that writes, after a snapshot.
        try pool.withConnection { connection throws(PostgresError) in
            _ = try connection.snapshot { connection throws(PostgresError) in try connection.execute("SELECT 1") }
            try connection.executeScript("CREATE TABLE written (x int); INSERT INTO written VALUES (1)")
            _ = try connection.snapshot { connection throws(PostgresError) in try connection.execute("SELECT 1") }
            try connection.transaction { connection throws(PostgresError) in try connection.execute("INSERT INTO written VALUES (2)") }
        }
        let sum = try observer.withConnection { connection throws(PostgresError) -> Int64 in
            try connection.query("SELECT sum(x)::int8 FROM written").int(0, 0)
        }
        #expect(sum == 3)
    }

    @Test("BEGIN goes with the first statement: it runs in the snapshot, unnamed, being prepared or prepared")
    func aSnapshotsBeginGoesWithItsFirstStatement() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let writer = try PostgresPool(conninfo: server.url(), size: 1)
        try writer.withConnection { connection throws(PostgresError) in try connection.executeScript("CREATE TABLE rows (x int8)") }
        let sql = "SELECT count(*)::int8, current_setting('transaction_isolation'), current_setting('transaction_read_only') FROM rows WHERE x >= $1"
        // The statement's first run is unnamed, its second prepares it, its third runs it prepared.
        for run in 1...3 {
            let (seen, isolation, readOnly, again) = try pool.withConnection { connection throws(PostgresError) in
                try connection.snapshot { connection throws(PostgresError) -> (Int64, String, String, Int64) in
                    let first = try connection.query(sql, [.int(0)])
                    // Written and committed after the snapshot's first statement: not in its snapshot.
                    try writer.withConnection { connection throws(PostgresError) in try connection.execute("INSERT INTO rows VALUES (1)") }
                    let second = try connection.query("SELECT count(*)::int8 FROM rows")
                    return (try first.int(0, 0), try first.string(0, 1), try first.string(0, 2), try second.int(0, 0))
                }
            }
            #expect(seen == Int64(run - 1) && again == seen, "run \(run): \(seen) then \(again) rows")
            #expect(isolation == "repeatable read" && readOnly == "on", "run \(run): \(isolation), read only \(readOnly)")
        }
        // A snapshot that runs no statement begins nothing; one whose first statement fails ends
        // its transaction; the connection serves on outside a transaction.
        let pid = try pool.withConnection { connection throws(PostgresError) -> Int64 in
            _ = try connection.snapshot { _ throws(PostgresError) in 1 }
            #expect(throws: PostgresError.self) {
                try connection.snapshot { connection throws(PostgresError) in try connection.execute("SELECT 1 / $1::int8", [.int(0)]) }
            }
            return try connection.query("SELECT pg_backend_pid()").int(0, 0)
        }
        let after = try pool.withConnection { connection throws(PostgresError) -> (Int64, Bool) in
            let result = try connection.query("SELECT pg_backend_pid(), current_setting('transaction_read_only') = 'off'")
            return (try result.int(0, 0), try result.bool(0, 1))
        }
        #expect(after.0 == pid && after.1)
    }

    @Test("a snapshot whose body throws rolls back and leaves the connection usable")
    func aFailedSnapshotRollsBack() throws {
        let server = try PostgresServer()
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let before = try pool.withConnection { connection throws(PostgresError) -> Int64 in try connection.query("SELECT pg_backend_pid()").int(0, 0)
        }
        #expect(throws: PostgresError.self) {
            try pool.withConnection { connection throws(PostgresError) in
                try connection.snapshot { connection throws(PostgresError) in try connection.execute("SELECT 1 / 0") }
            }
        }
        let after = try pool.withConnection { connection throws(PostgresError) -> (Int64, Bool) in
            let result = try connection.query("SELECT pg_backend_pid(), current_setting('transaction_read_only') = 'off'")
            return (try result.int(0, 0), try result.bool(0, 1))
        }
        #expect(after.0 == before && after.1)
    }
}
