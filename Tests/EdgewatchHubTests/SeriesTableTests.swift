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
        try database.integer(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'series' AND name LIKE 'sqlite_autoindex_series%'"
        )
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
            #expect(try writer.database.integer("SELECT count(*) FROM series WHERE key_hash IS NULL") == 0, "keys filled in at open")
            try writer.registerNode("n1", secretHash: "", at: 0)
            let outcome = try writer.ingest(batch("n1", 0, cpus: ["1", "0", "2"]), receivedAt: 1)
            #expect(outcome.seriesIDs == [9, 5, 10], "the stored series keep their ids; the new one follows them")
            writer.database.close()
        }
    }

    /// Series unused for two ages leave the writer's memory and the queries' label cache; coming
    /// back, they are found stored (by key) with the ids they had, and queries read them again.
    @Test func seriesLeftOutOfMemoryAreFoundStored() throws {
        try withPath { path in
            let storage = try SQLiteHubStorage(path: path)
            try storage.registerNode("n1", secretHash: "", at: 0)
            let age = RecentEntries<Labels, Int64>.seriesAge
            // A batch without a series table reference, so its series are looked up each time.
            _ = try storage.ingest(batch("n1", 0, cpus: ["0", "1"]), receivedAt: 1)
            let cpu = [try LabelMatcher(name: "__name__", operation: .equal, value: "node_cpu_seconds_total")]
            let before = try storage.select(cpu, start: 0, end: .max)
            #expect(storage.writer.withLock { $0.ids.count } == 2)
            #expect(storage.cachedSeries == (2, 2))
            storage.writer.withLock { $0.ids.insert([:], now: 1 + 2 * age) }
            storage.seriesLabels.withLock { $0.insert([:], now: HubClock.now() + 2 * age) }
            #expect(storage.writer.withLock { $0.ids.count } == 0)
            #expect(storage.seriesLabels.withLock { $0.count } == 0)
            _ = try storage.ingest(batch("n1", 1, cpus: ["1", "0", "2"]), receivedAt: 1 + 2 * age)
            #expect(storage.writer.withLock { $0.ids.count } == 3)
            let series = try storage.writer.withLock { writer throws(SQLiteError) in
                try writer.database.integer("SELECT count(*) FROM series")
            }
            #expect(series == 3, "cpus 0 and 1 found stored, cpu 2 added")
            let after = try storage.select(cpu, start: 0, end: .max)
            #expect(after.count == 3)
            #expect(before.allSatisfy { old in after.contains { $0.labels == old.labels && $0.points.count == 2 } })
            // Opened again: the ids by name are read from the table, the label sets at the query.
            let reopened = try SQLiteHubStorage(path: path)
            #expect(try reopened.select(cpu, start: 0, end: .max).map(\.labels) == after.map(\.labels))
            #expect(reopened.cachedSeries == (0, 3))
        }
    }

    /// Two series of one node whose lookup keys are equal are told apart by their labels.
    @Test func aSharedLookupKeyIsToldApartByLabels() throws {
        try withPath { path in
            var writer = try HubDatabaseWriter(path: path)
            try writer.registerNode("n1", secretHash: "", at: 0)
            _ = try writer.ingest(batch("n1", 0, cpus: ["0", "1"]), receivedAt: 1)
            // Another label set with cpu 1's key, stored before it.
            try writer.database.execute(
                "INSERT INTO series(id, name, labels, type, key_hash) SELECT 0, 'other', labels, type, key_hash FROM series WHERE id = 2"
            )
            writer.ids.insert([:], now: 1 + 2 * RecentEntries<Labels, Int64>.seriesAge)
            let outcome = try writer.ingest(batch("n1", 1, cpus: ["1", "0"]), receivedAt: 1 + 2 * RecentEntries<Labels, Int64>.seriesAge)
            #expect(outcome.seriesIDs == [2, 1])
            #expect(outcome.added.isEmpty)
            writer.database.close()
        }
    }

    /// A node back after hours away has more series than are looked up one by one: they are found
    /// in one read of its range, beside another node's.
    @Test func manySeriesComingBackAreFoundInTheNodesRange() throws {
        try withPath { path in
            var writer = try HubDatabaseWriter(path: path)
            let cpus = (0..<20).map(String.init)
            for node in ["n1", "n2"] {
                try writer.registerNode(node, secretHash: "", at: 0)
                _ = try writer.ingest(batch(node, 0, cpus: cpus), receivedAt: 1)
            }
            let first = try writer.ingest(batch("n1", 1, cpus: cpus), receivedAt: 1).seriesIDs ?? []
            let later = 1 + 2 * RecentEntries<Labels, Int64>.seriesAge
            writer.ids.insert([:], now: later)
            #expect(writer.ids.count == 0)
            let outcome = try writer.ingest(batch("n1", 2, cpus: cpus + ["20"]), receivedAt: later)
            #expect(Array((outcome.seriesIDs ?? []).prefix(20)) == first)
            #expect(outcome.added.count == 1)
            #expect(try writer.database.integer("SELECT count(*) FROM series") == 41)
            writer.database.close()
        }
    }
}
