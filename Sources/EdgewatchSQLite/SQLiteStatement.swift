import CSQLite

/// A prepared statement: bind parameters (1-based), step, read columns (0-based).
public final class SQLiteStatement {
    private var raw: OpaquePointer?
    private unowned let database: SQLiteDatabase

    init(raw: OpaquePointer, database: SQLiteDatabase) {
        self.raw = raw
        self.database = database
    }

    func finalize() {
        sqlite3_finalize(raw)
        raw = nil
    }

    /// Ends the statement's read (so checkpoints can proceed) and clears its bindings.
    public func reset() {
        sqlite3_reset(raw)
        sqlite3_clear_bindings(raw)
    }

    @discardableResult
    public func bind(_ index: Int32, _ value: Int64) -> Self {
        sqlite3_bind_int64(raw, index, value)
        return self
    }

    @discardableResult
    public func bind(_ index: Int32, _ value: Double) -> Self {
        sqlite3_bind_double(raw, index, value)
        return self
    }

    @discardableResult
    public func bind(_ index: Int32, _ value: String) -> Self {
        sqlite3_bind_text(raw, index, value, -1, cew_sqlite_transient())
        return self
    }

    @discardableResult
    public func bind(_ index: Int32, _ value: [UInt8]) -> Self {
        value.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob(raw, index, buffer.baseAddress, Int32(buffer.count), cew_sqlite_transient())
        }
        return self
    }

    @discardableResult
    public func bindNull(_ index: Int32) -> Self {
        sqlite3_bind_null(raw, index)
        return self
    }

    /// Advances; true while a row is available.
    public func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(raw)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(code, "step \(String(cString: sqlite3_sql(raw)).prefix(80))")
            sqlite3_reset(raw)
            throw error
        }
    }

    /// Steps to completion (for INSERT/UPDATE/DELETE), then resets, so the statement can be bound
    /// and run again.
    public func run() throws(SQLiteError) {
        while try step() {}
        reset()
    }

    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }
    public func double(_ column: Int32) -> Double { sqlite3_column_double(raw, column) }
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }

    public func string(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(raw, column) else { return "" }
        return String(cString: text)
    }

    public func blob(_ column: Int32) -> [UInt8] { withBlob(column) { Array($0) } }

    /// Lends `body` a blob column's bytes where SQLite holds them, without a copy; they are valid
    /// only inside `body` (the next step or reset frees them). Empty when NULL or empty.
    public func withBlob<Result>(_ column: Int32, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        // The pointer first, then its size (SQLite's documented order).
        let pointer = sqlite3_column_blob(raw, column)
        let count = Int(sqlite3_column_bytes(raw, column))
        guard count > 0, let pointer else { return body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        return body(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
