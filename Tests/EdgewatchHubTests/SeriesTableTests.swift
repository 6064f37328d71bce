import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire
import Foundation
import Testing

@testable import EdgewatchHub

/// The hub's `series` table holds each label set once without a unique index on it: the writer
/// adds only series it does not know, across groups and restarts, and a database made while the
/// table had `UNIQUE(name, labels)` loses the index and keeps its ids.
@Suite struct SeriesTableTests {
    static let start: Int64 = 1_800_000_000_000

    func batch(_ node: String, _ minute: Int64, cpus: [String]) -> UplinkBatch {
        let time = Self.start + minute * 60_000
        let points = cpus.map { cpu in
            (key: SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": cpu], type: .counter), points: [(time, [Double(minute)])])
        }
        return UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: time, tier: .raw, points: points, columns: 1)
    }

    func withPath(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-series-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory + "/hub.db")
    }

    func uniqueIndexes(_ database: SQLiteDatabase) throws -> Int64 {
        try database.integer("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'series'")
    }

    @Test func eachLabelSetIsStoredOnceAcrossGroupsAndRestarts() throws {
        try withPath { path in
            var writer = try HubDatabaseWriter(path: path)
            try writer.registerNode("n1", secretHash: "", at: 0)
            _ = try writer.ingest(batch("n1", 0, cpus: ["0", "1"]), receivedAt: 1)
            _ = try writer.ingest(batch("n1", 1, cpus: ["1", "2"]), receivedAt: 1)
            #expect(try writer.database.integer("SELECT count(*) FROM series") == 3)
            #expect(try uniqueIndexes(writer.database) == 0)
            writer.database.close()

            var reopened = try HubDatabaseWriter(path: path)
            let outcome = try reopened.ingest(batch("n1", 2, cpus: ["0", "2", "3"]), receivedAt: 1)
            #expect(outcome.added.count == 1, "only cpu 3 is new after the restart")
            #expect(try reopened.database.integer("SELECT count(*) FROM series") == 4)
            #expect(try reopened.database.integer("SELECT count(DISTINCT labels) FROM series") == 4)
            reopened.database.close()
        }
    }

    @Test func aTableWithTheOldUniqueIndexLosesItAndKeepsItsIDs() throws {
        try withPath { path in
            let old = try SQLiteDatabase(path: path)
            try old.execute(
                """
                CREATE TABLE series(id INTEGER PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, type INTEGER NOT NULL,
                    UNIQUE(name, labels));
                """
            )
            for (id, cpu) in [(5, "0"), (9, "1")] {
                let key = SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": cpu, "node": "n1"], type: .counter)
                try old.statement("INSERT INTO series(id, name, labels, type) VALUES(?, ?, ?, ?)")
                    .bind(1, Int64(id)).bind(2, key.name).bind(3, key.encodedLabels).bind(4, Int64(key.type.code)).run()
            }
            #expect(try uniqueIndexes(old) == 1)
            old.close()

            var writer = try HubDatabaseWriter(path: path)
            #expect(try uniqueIndexes(writer.database) == 0)
            #expect(writer.catalog.map(\.id) == [5, 9])
            try writer.registerNode("n1", secretHash: "", at: 0)
            let outcome = try writer.ingest(batch("n1", 0, cpus: ["1", "0", "2"]), receivedAt: 1)
            #expect(outcome.seriesIDs == [9, 5, 10], "the stored series keep their ids; the new one follows them")
            writer.database.close()
        }
    }
}
