import EdgewatchEncoding
import EdgewatchSQLite

/// A query's reads of `blocks.data` in place. A batch block stored with its series index is read
/// only in the ranges the wanted series need (``BlockCodec/indexedRanges(positions:index:count:)``):
/// a query for one metric takes a few hundred bytes of each 24 KiB batch block instead of SQLite
/// copying the whole value out of its overflow pages. One buffer serves every block of the query.
final class SQLiteBlockReads {
    private let blobs: SQLiteBlobReader
    private var buffer: [UInt8] = []

    init(_ database: SQLiteDatabase) {
        blobs = database.blobReader(table: "blocks", column: "data")
    }

    /// Calls `body` with row `row`'s block of which only the ranges for `positions` were read
    /// (the rest of the buffer is whatever it held); false when the index does not hold together,
    /// the row cannot be read or `body` says the bytes did not decode.
    func partial(row: Int64, positions: [Int], index: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        do {
            try blobs.open(row: row)
            let count = blobs.count
            let ranges = try BlockCodec.indexedRanges(positions: positions, index: index, count: count)
            return try filled(count) { buffer throws(SQLiteError) in
                for range in ranges { try blobs.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[range]), at: range.lowerBound) }
                return body(UnsafeRawBufferPointer(buffer))
            }
        } catch {
            return false
        }
    }

    /// Calls `body` with row `row`'s whole block; false when it cannot be read.
    func whole(row: Int64, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        do throws(SQLiteError) {
            try blobs.open(row: row)
            return try filled(blobs.count) { buffer throws(SQLiteError) in
                try blobs.read(into: buffer, at: 0)
                return body(UnsafeRawBufferPointer(buffer))
            }
        } catch {
            return false
        }
    }

    /// Ends the reads; call before the query's statement is reset.
    func close() { blobs.close() }

    /// The first `count` bytes of the reused buffer, grown when needed.
    private func filled(_ count: Int, _ body: (UnsafeMutableRawBufferPointer) throws(SQLiteError) -> Bool) throws(SQLiteError) -> Bool {
        if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
        return try buffer.withUnsafeMutableBytes { all in
            Result { () throws(SQLiteError) -> Bool in try body(UnsafeMutableRawBufferPointer(rebasing: all[0..<count])) }
        }.get()
    }
}
