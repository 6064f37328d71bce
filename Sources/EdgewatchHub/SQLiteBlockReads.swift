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
        read(
            row: row,
            ranges: { count throws(DecodingError) in try BlockCodec.indexedRanges(positions: positions, index: index, count: count) },
            body
        )
    }

    /// Calls `body` with row `row`'s whole block; false when it cannot be read.
    func whole(row: Int64, _ body: (UnsafeRawBufferPointer) -> Bool) -> Bool {
        read(row: row, ranges: { count in [0..<count] }, body)
    }

    /// Reads the `ranges` (given the value's length) of row `row`'s block into the reused buffer,
    /// grown when needed, and calls `body` with the block's length of it.
    private func read(
        row: Int64,
        ranges: (Int) throws(DecodingError) -> [Range<Int>],
        _ body: (UnsafeRawBufferPointer) -> Bool
    ) -> Bool {
        do {
            try blobs.open(row: row)
            let count = blobs.count
            let wanted = try ranges(count)
            if buffer.count < count { buffer = [UInt8](repeating: 0, count: count) }
            return try buffer.withUnsafeMutableBytes { all in
                let block = UnsafeMutableRawBufferPointer(rebasing: all[0..<count])
                for range in wanted { try blobs.read(into: UnsafeMutableRawBufferPointer(rebasing: block[range]), at: range.lowerBound) }
                return body(UnsafeRawBufferPointer(block))
            }
        } catch {
            return false
        }
    }

    /// Ends the reads; call before the query's statement is reset.
    func close() { blobs.close() }
}
