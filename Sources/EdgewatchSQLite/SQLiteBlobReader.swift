import CSQLite

/// Reads parts of one column's values row by row (SQLite's incremental blob I/O): a reader after a
/// few hundred bytes of a value spread over overflow pages fetches those, not the whole value. It
/// reads inside the connection's current transaction; ``close()`` it (or let it go) before that
/// ends, since an open handle keeps the read going.
public final class SQLiteBlobReader {
    private var raw: OpaquePointer?
    private unowned let database: SQLiteDatabase
    private let table: String
    private let column: String
    /// The current row's value length in bytes (0 before ``open(row:)``).
    public private(set) var count = 0

    init(database: SQLiteDatabase, table: String, column: String) {
        self.database = database
        self.table = table
        self.column = column
    }

    deinit { close() }

    /// Moves to `row` (the table's rowid); throws when there is no such row or its value is not
    /// a blob or text. After a failure the next call opens afresh.
    public func open(row: Int64) throws(SQLiteError) {
        count = 0
        let code: Int32
        if let raw {
            code = sqlite3_blob_reopen(raw, row)
        } else {
            var opened: OpaquePointer?
            code = sqlite3_blob_open(database.handle, "main", table, column, row, 0, &opened)
            raw = opened
        }
        guard code == SQLITE_OK, let raw else {
            let error = database.error(code, "read \(table).\(column) of row \(row)")
            close()
            throw error
        }
        count = Int(sqlite3_blob_bytes(raw))
    }

    /// Copies `buffer.count` bytes of the current value from `offset` into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws(SQLiteError) {
        guard let raw, offset >= 0, offset + buffer.count <= count, let base = buffer.baseAddress else {
            if buffer.isEmpty { return }
            throw SQLiteError(
                code: SQLITE_RANGE,
                message: "bytes \(offset)..<\(offset + buffer.count) of \(count)",
                context: "read \(table).\(column)"
            )
        }
        let code = sqlite3_blob_read(raw, base, Int32(buffer.count), Int32(offset))
        guard code == SQLITE_OK else { throw database.error(code, "read \(table).\(column)") }
    }

    /// Ends the reads (the handle's part of the transaction).
    public func close() {
        if let raw { sqlite3_blob_close(raw) }
        raw = nil
        count = 0
    }
}

extension SQLiteDatabase {
    /// A reader of `table.column` values in place; rows are chosen with ``SQLiteBlobReader/open(row:)``.
    public func blobReader(table: String, column: String) -> SQLiteBlobReader {
        SQLiteBlobReader(database: self, table: table, column: column)
    }
}
