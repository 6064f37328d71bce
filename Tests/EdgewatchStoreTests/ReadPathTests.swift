import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import Testing

@testable import EdgewatchStore

@Suite("Store read path")
struct ReadPathTests {
    static let start: Int64 = 1_732_003_200_000  // an hour boundary

    /// One hour of 1 s cycles for `node`, flushed every 10 cycles (360 blocks in one raw segment).
    static func hourOfSeconds(_ directory: StoreDirectory, node: SyntheticNode) throws {
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, intervalMilliseconds: 1_000))
        for index in 0..<3_600 {
            try writer.append(cycle: cycle(start + Int64(index) * 1_000), samples: node.samples(cycle: index))
            if index % 10 == 9 { try writer.flush() }
        }
        try writer.close()
    }

    @Test("a short range late in a segment decodes from the last codec restart, not the segment's start, with the same values")
    func restartPoints() throws {
        let directory = try StoreDirectory()
        let node = SyntheticNode(count: 20)
        try Self.hourOfSeconds(directory, node: node)
        let reader = try StoreReader(path: directory.database)
        let ids = Set(try reader.series { _ in true }.map(\.0))
        let from = Self.start + 3_000_000, to = Self.start + 3_059_000
        let window = try reader.points(ids: ids, tier: .raw, from: from, to: to)
        // 120 rows between restarts at 10 rows per block: at most 12 blocks before the range, 6 in it.
        #expect(reader.blocksDecoded <= 12 + 6 + 1, "decoded \(reader.blocksDecoded) blocks")
        let all = try StoreReader(path: directory.database).points(ids: ids, tier: .raw, from: Self.start, to: Self.start + 3_600_000)
        for id in ids {
            let expected = (all[id] ?? []).filter { $0.0 >= from && $0.0 <= to }
            #expect(expected.count == 60)
            #expect((window[id] ?? []).map(\.0) == expected.map(\.0))
            #expect((window[id] ?? []).map(\.1) == expected.map(\.1))
        }
    }

    @Test("a store from before block indexing is upgraded in place and still read whole")
    func upgradeFromVersion1() throws {
        let directory = try StoreDirectory()
        let database = try SQLiteDatabase(path: directory.database)
        try database.execute("CREATE TABLE blocks(id INTEGER PRIMARY KEY, data BLOB NOT NULL)")
        try database.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
        try database.execute("INSERT INTO meta VALUES('schema_version', '1')")
        database.close()
        let node = SyntheticNode(count: 5)
        try Self.hourOfSeconds(directory, node: node)
        let check = try SQLiteDatabase(path: directory.database, readOnly: true)
        #expect(try check.text("SELECT value FROM meta WHERE key = 'schema_version'") == "6")
        #expect(try check.integer("SELECT count(*) FROM blocks WHERE restart = 1") > 1)
    }

    @Test("a store written by a newer edgewatch is refused with the versions named")
    func newerSchema() throws {
        let directory = try StoreDirectory()
        let database = try SQLiteDatabase(path: directory.database)
        try database.execute("CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
        try database.execute("INSERT INTO meta VALUES('schema_version', '9')")
        database.close()
        #expect {
            _ = try StoreWriter(configuration: StoreConfiguration(path: directory.database, intervalMilliseconds: 1_000))
        } throws: { error in
            "\(error)".contains("newer edgewatch (schema 9; this one reads up to 6)")
        }
    }
}
