import CSQLite

/// A failed SQLite call: the result code and SQLite's message, with what was being done.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var context: String

    public init(code: Int32, message: String, context: String) {
        self.code = code
        self.message = message
        self.context = context
    }

    /// SQLITE_FULL: the database reached `max_page_count` or the disk is full.
    public var isFull: Bool { code & 0xFF == SQLITE_FULL }
    /// SQLITE_BUSY / SQLITE_LOCKED.
    public var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }

    public var description: String { "\(context): \(message) (SQLite code \(code))" }
}
