import CSQLite

/// A thin owner of one SQLite connection with prepared statements. Not thread-safe: each
/// connection belongs to one actor (the store's writer or a reader).
public final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?
    public let path: String
    private var statements: [String: SQLiteStatement] = [:]
    /// Kept while its hooks are installed (``observeCommits(of:_:)``).
    var commitObserver: CommitObserver?

    /// Opens (and creates, unless `readOnly`) the database at `path`.
    public init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        self.path = path
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        handle = db
        if code != SQLITE_OK {
            let error = SQLiteError(code: code, message: db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open", context: "open \(path)")
            sqlite3_close_v2(db)
            handle = nil
            throw error
        }
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)
    }

    deinit { close() }

    /// Finalizes every statement and closes the connection.
    public func close() {
        statements.values.forEach { $0.finalize() }
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs one or more statements without results.
    public func execute(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if code != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? "error"
            sqlite3_free(errorMessage)
            throw SQLiteError(code: code, message: message, context: String(sql.prefix(80)))
        }
    }

    /// A cached prepared statement for `sql`, reset and unbound.
    public func statement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] {
            cached.reset()
            return cached
        }
        var raw: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard code == SQLITE_OK, let raw else { throw error(code, "prepare \(sql.prefix(80))") }
        let statement = SQLiteStatement(raw: raw, database: self)
        statements[sql] = statement
        return statement
    }

    /// Runs `body` in a transaction (BEGIN IMMEDIATE … COMMIT), rolling back when it throws.
    public func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try within("BEGIN IMMEDIATE", body)
    }

    /// Runs reads in one deferred transaction: every statement of `body` sees the same snapshot
    /// (in WAL mode), whatever the writer commits meanwhile.
    public func snapshot<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try within("BEGIN DEFERRED", body)
    }

    private func within<T>(_ begin: String, _ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute(begin)
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The single integer a pragma or query returns.
    public func integer(_ sql: String) throws(SQLiteError) -> Int64 {
        let statement = try statement(sql)
        defer { statement.reset() }
        guard try statement.step() else { return 0 }
        return statement.int64(0)
    }

    /// The single text a query returns; nil when it returns no row.
    public func text(_ sql: String) throws(SQLiteError) -> String? {
        let statement = try statement(sql)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return statement.string(0)
    }

    /// The column names of `table` (empty when it does not exist).
    public func columns(of table: String) throws(SQLiteError) -> Set<String> {
        let statement = try statement("PRAGMA table_info(\(table))")
        defer { statement.reset() }
        var names: Set<String> = []
        while try statement.step() { names.insert(statement.string(1)) }
        return names
    }

    /// Rows the last statement inserted, updated or deleted.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// rowid of the last insert.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// The connection's current error for a failed call.
    func error(_ code: Int32, _ context: String) -> SQLiteError {
        SQLiteError(code: code, message: handle.map { String(cString: sqlite3_errmsg($0)) } ?? "closed", context: context)
    }
}
