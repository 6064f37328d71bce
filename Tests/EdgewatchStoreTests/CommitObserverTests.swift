import EdgewatchSQLite
import Foundation
import Synchronization
import Testing

/// ``SQLiteDatabase/observeCommits(of:_:)``: the rowids a commit changed in the watched tables
/// come once it is done, readers then see it, and the connection still checkpoints on its own.
@Suite struct CommitObserverTests {
    func withDatabase(_ body: (SQLiteDatabase, String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-commits-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let database = try SQLiteDatabase(path: directory + "/test.db")
        defer { database.close() }
        try database.useWriteAheadLog()
        try database.execute("CREATE TABLE watched(id INTEGER PRIMARY KEY, value TEXT); CREATE TABLE other(id INTEGER PRIMARY KEY, value TEXT)")
        try body(database, directory + "/test.db")
    }

    @Test func aCommitHandsOnTheRowsItChangedOnceReadersSeeThem() throws {
        try withDatabase { database, path in
            let reader = Mutex(try SQLiteDatabase(path: path, readOnly: true))
            defer { reader.withLock { $0.close() } }
            let commits = Mutex<[(rows: Set<Int64>, seen: Int64)]>([])
            try database.observeCommits(of: ["watched"]) { changed in
                // Called after the commit: a reader starting now sees it.
                let seen = reader.withLock { (try? $0.integer("SELECT count(*) FROM watched")) ?? -1 }
                commits.withLock { $0.append((changed["watched"] ?? [], seen)) }
                #expect(changed["other"] == nil)
            }
            try database.transaction { () throws(SQLiteError) in
                try database.execute("INSERT INTO watched(id, value) VALUES (1, 'a'), (2, 'b'); INSERT INTO other(id, value) VALUES (7, 'x')")
            }
            try database.execute("UPDATE watched SET value = 'c' WHERE id = 2")
            try database.execute("UPDATE other SET value = 'y'")
            try database.execute("DELETE FROM watched WHERE id = 1")
            // Rolled back: its row comes with the next commit, read again as it stands.
            #expect(throws: SQLiteError.self) {
                try database.transaction { () throws(SQLiteError) in
                    try database.execute("INSERT INTO watched(id, value) VALUES (3, 'd')")
                    throw SQLiteError(code: 1, message: "abandoned", context: "test")
                }
            }
            try database.execute("INSERT INTO watched(id, value) VALUES (4, 'e')")
            #expect(commits.withLock { $0.map(\.rows) } == [[1, 2], [2], [1], [3, 4]])
            #expect(commits.withLock { $0.map(\.seen) } == [2, 2, 1, 2])
        }
    }

    @Test func theConnectionStillCheckpointsItsLog() throws {
        try withDatabase { database, path in
            try database.observeCommits(of: ["watched"]) { _ in }
            let value = String(repeating: "v", count: 3000)
            for round in 0..<30 {
                try database.transaction { () throws(SQLiteError) in
                    for row in 0..<400 { try database.statement("INSERT INTO other(value) VALUES (?)").bind(1, "\(round) \(row) \(value)").run() }
                }
            }
            // About 1.2 MB a commit, 36 MB in all: checkpointed at 1000 pages, the log is reused.
            let log = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
            #expect(log > 0 && log < 12_000_000)
        }
    }
}
