import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPostgres
import EdgewatchPromQL
import EdgewatchSQLite
import EdgewatchWire
import Foundation
import TestServers
import Testing

/// A query for a few series of a wide batch block decodes only their part of it through the
/// block's series index, on both backends (SQLite reads only those bytes, by incremental blob
/// reads), and the whole block only when that part does not decode.
@Suite struct IndexedBlockReadsTests {
    /// The blocks table of a hub made before `name` and `series_index` (they are added after `data`).
    static let olderBlocks = """
        CREATE TABLE blocks(id INTEGER PRIMARY KEY, node TEXT NOT NULL, tier INTEGER NOT NULL, min_ts INTEGER NOT NULL,
            max_ts INTEGER NOT NULL, series BLOB NOT NULL, data BLOB NOT NULL)
        """

    /// A stored block row: its id, data and series index, and how to overwrite its data.
    struct StoredRow {
        var id: Int64
        var data: [UInt8]
        var index: [UInt8]
        var overwrite: ([UInt8]) throws -> Void
    }

    /// On a new SQLite database (`data` its last column), on one made before the index (the
    /// columns appended after `data`), and on PostgreSQL.
    @Test(arguments: ["sqlite", "sqlite-older", "postgres"])
    func aQueryDecodesOnlyTheStrideOfEachWantedSeries(backend: String) throws {
        if backend == "postgres" {
            guard PostgresServer.usable else { return }
            let server = try PostgresServer()
            defer { server.stop() }
            let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
            let pool = try PostgresPool(conninfo: server.url(), size: 1)
            try check(storage) {
                let (id, data, index) = try pool.withConnection { connection throws(PostgresError) in
                    let rows = try connection.query("SELECT id, data, series_index FROM blocks")
                    return (try rows.int(0, 0), try rows.bytes(0, 1), try rows.bytes(0, 2))
                }
                return StoredRow(id: id, data: data, index: index) { data in
                    _ = try pool.withConnection { connection throws(PostgresError) in
                        try connection.execute("UPDATE blocks SET data = $1 WHERE id = $2", [.bytes(data), .int(id)])
                    }
                }
            }
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-hub-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if backend == "sqlite-older" { try SQLiteDatabase(path: directory + "/hub.db").execute(Self.olderBlocks) }
        let storage = try SQLiteHubStorage(path: directory + "/hub.db")
        let database = try SQLiteDatabase(path: directory + "/hub.db")
        let columns = try database.statement("SELECT name FROM pragma_table_info('blocks') ORDER BY cid DESC LIMIT 1")
        #expect(try columns.step() && columns.string(0) == (backend == "sqlite-older" ? "series_index" : "data"))
        columns.reset()
        try check(storage) {
            let row = try database.statement("SELECT id, data, series_index FROM blocks")
            defer { row.reset() }
            #expect(try row.step())
            let id = row.int64(0)
            return StoredRow(id: id, data: row.blob(1), index: row.blob(2)) { data in
                try database.statement("UPDATE blocks SET data = ? WHERE id = ?").bind(1, data).bind(2, id).run()
            }
        }
    }

    /// Stores one batch of 50 series, overwrites every byte of its block outside the header and
    /// first stride of series, then queries series one by one.
    func check(_ storage: any HubStorage, row: () throws -> StoredRow) throws {
        let start = HubStorageContractTests.window
        let keys = (0..<50).map { SeriesKey(name: "m\($0)", labels: [:], type: .gauge) }
        let points = keys.enumerated().map { index, key in (key: key, points: [(start, [Double(index)]), (start + 30_000, [Double(index) + 0.5])]) }
        let batch = UplinkBatch(node: "n1", stream: "metrics/raw/60s", sequence: start, tier: .raw, points: points, columns: 1)
        #expect(try storage.ingest(batch, receivedAt: 0))

        let stored = try row()
        let inFirstStride = try BlockCodec.decode(stored.data, keeping: Array(repeating: true, count: 50)).series.prefix(16).map {
            "m\(Int($0.values[0][0]))"
        }
        let ranges = try stored.index.withUnsafeBytes { try BlockCodec.indexedRanges(positions: [0], index: $0, count: stored.data.count) }
        #expect(ranges.count == 1 && ranges[0].upperBound < stored.data.count / 2)
        var damaged = [UInt8](repeating: 0xFF, count: stored.data.count)
        damaged.replaceSubrange(ranges[0], with: stored.data[ranges[0]])
        try stored.overwrite(damaged)

        func select(_ name: String) throws -> [Double] {
            let series = try storage.select([LabelMatcher(name: "__name__", operation: .equal, value: name)], start: start, end: start + 60_000)
            return series.first?.points.map(\.value) ?? []
        }
        for name in inFirstStride {
            let index = Double(name.dropFirst()) ?? -1
            #expect(try select(name) == [index, index + 0.5], "\(name)")
        }
        #expect(storage.undecodableBlocks == 0)
        // A series past the first stride: its part is gone, and so is the whole block.
        let later = try #require(keys.map(\.name).first { !inFirstStride.contains($0) })
        #expect(try select(later).isEmpty)
        #expect(storage.undecodableBlocks == 1)
    }
}
