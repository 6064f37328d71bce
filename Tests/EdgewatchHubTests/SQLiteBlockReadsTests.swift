import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPromQL
import EdgewatchSQLite
import EdgewatchWire
import Foundation
import Testing

/// A query for a few series of a wide batch block reads only their part of it (SQLite's
/// incremental blob reads of the ranges its series index names), and the whole block only when
/// that part does not decode.
@Suite struct SQLiteBlockReadsTests {
    /// The blocks table of a hub made before `name` and `series_index` (they are added after `data`).
    static let olderBlocks = """
        CREATE TABLE blocks(id INTEGER PRIMARY KEY, node TEXT NOT NULL, tier INTEGER NOT NULL, min_ts INTEGER NOT NULL,
            max_ts INTEGER NOT NULL, series BLOB NOT NULL, data BLOB NOT NULL)
        """

    /// On a new database (`data` its last column) and on one made before the index (the columns
    /// appended after `data`).
    @Test(arguments: [false, true])
    func aQueryReadsOnlyTheStrideOfEachWantedSeries(olderDatabase: Bool) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-hub-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        if olderDatabase { try SQLiteDatabase(path: directory + "/hub.db").execute(Self.olderBlocks) }
        let storage = try SQLiteHubStorage(path: directory + "/hub.db")
        let start = HubStorageContractTests.window
        let keys = (0..<50).map { SeriesKey(name: "m\($0)", labels: [:], type: .gauge) }
        let points = keys.enumerated().map { index, key in (key: key, points: [(start, [Double(index)]), (start + 30_000, [Double(index) + 0.5])]) }
        let batch = UplinkBatch(node: "n1", stream: "metrics/raw/60s", sequence: start, tier: .raw, points: points, columns: 1)
        #expect(try storage.ingest(batch, receivedAt: 0))

        // Every byte of the block outside its header and first stride of series overwritten.
        let database = try SQLiteDatabase(path: directory + "/hub.db")
        let columns = try database.statement("SELECT name FROM pragma_table_info('blocks') ORDER BY cid DESC LIMIT 1")
        #expect(try columns.step() && columns.string(0) == (olderDatabase ? "series_index" : "data"))
        columns.reset()
        let row = try database.statement("SELECT id, data, series_index FROM blocks")
        #expect(try row.step())
        let (id, data, index) = (row.int64(0), row.blob(1), row.blob(2))
        row.reset()
        let inFirstStride = try BlockCodec.decode(data, keeping: Array(repeating: true, count: 50)).series.prefix(16).map {
            "m\(Int($0.values[0][0]))"
        }
        let ranges = try index.withUnsafeBytes { try BlockCodec.indexedRanges(positions: [0], index: $0, count: data.count) }
        #expect(ranges.count == 1 && ranges[0].upperBound < data.count / 2)
        var damaged = [UInt8](repeating: 0xFF, count: data.count)
        damaged.replaceSubrange(ranges[0], with: data[ranges[0]])
        try database.statement("UPDATE blocks SET data = ? WHERE id = ?").bind(1, damaged).bind(2, id).run()

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
