import EdgewatchCore
import EdgewatchPromQL
import EdgewatchSQLite
import Foundation
import Testing

@testable import EdgewatchHub

/// The SQLite hub keeps the points its queries decoded of blocks by block id and position
/// (``SQLiteBlockPoints``), which holds because it never gives an id twice (``BlockIDSequence``).
@Suite struct SQLiteBlockPointsTests {
    /// Runs `body` on a store in a directory of its own, with the database's path.
    static func withStore(_ body: (SQLiteHubStorage, String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-hub-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(try SQLiteHubStorage(path: directory + "/hub.db"), directory + "/hub.db")
    }

    /// Block ids, ascending.
    static func ids(_ database: SQLiteDatabase) throws -> [Int64] {
        let statement = try database.statement("SELECT id FROM blocks ORDER BY id")
        defer { statement.reset() }
        var ids: [Int64] = []
        while try statement.step() { ids.append(statement.int64(0)) }
        return ids
    }

    /// SQLite would give the largest id again once its block is gone; the hub gives the next one.
    @Test func anIDIsNotGivenAgainOnceItsBlockIsDeleted() throws {
        try Self.withStore { storage, path in
            let database = try SQLiteDatabase(path: path)
            defer { database.close() }
            try storage.registerNode("n1", secretHash: "", at: 0)
            for minute in 0..<3 { try BatchBlockCacheTests.send(storage, node: "n1", minute: minute, value: 10) }
            #expect(try Self.ids(database) == [1, 2, 3])
            try database.execute("DELETE FROM blocks WHERE id = 3")
            try BatchBlockCacheTests.send(storage, node: "n1", minute: 3, value: 10)
            #expect(try Self.ids(database) == [1, 2, 4])
            // Upkeep's blocks too: the folded period's metric blocks come after every id given.
            _ = try storage.compact(now: BatchBlockCacheTests.start + 3_600_000, budget: 1000)
            let folded = try Self.ids(database)
            #expect(!folded.isEmpty && folded.allSatisfy { $0 > 4 })
            try database.execute("DELETE FROM blocks")
            try BatchBlockCacheTests.send(storage, node: "n1", minute: 5, value: 10)
            #expect(try Self.ids(database) == [(folded.last ?? 0) + 1])
        }
    }

    /// A query's second read of the same blocks answers from what the first decoded, even once
    /// their bytes are damaged; a store opened afterwards finds them undecodable, and a metric not
    /// read before is read from the blocks.
    @Test func theSeriesReadAreKeptByBlockAndPosition() throws {
        try Self.withStore { storage, path in
            for node in ["n1", "n2"] {
                try storage.registerNode(node, secretHash: "", at: 0)
                for minute in 0..<3 { try BatchBlockCacheTests.send(storage, node: node, minute: minute, value: node == "n1" ? 10 : 20) }
            }
            let expected: [String: [Double]] = ["n1": [10, 11, 12], "n2": [20, 21, 22]]
            #expect(try BatchBlockCacheTests.values(storage) == expected)
            #expect(storage.cachedBatchBlocks.series == 6)
            let database = try SQLiteDatabase(path: path)
            defer { database.close() }
            try database.execute("UPDATE blocks SET data = x'00'")
            #expect(try BatchBlockCacheTests.values(storage) == expected)
            #expect(storage.undecodableBlocks == 0)
            let m3 = [try LabelMatcher(name: "__name__", operation: .equal, value: "m3")]
            #expect(try storage.select(m3, start: BatchBlockCacheTests.start, end: BatchBlockCacheTests.start + 600_000).isEmpty)
            #expect(storage.undecodableBlocks == 6)
            let other = try SQLiteHubStorage(path: path)
            #expect(try BatchBlockCacheTests.values(other).isEmpty)
            #expect(other.undecodableBlocks == 6)
        }
    }
}
