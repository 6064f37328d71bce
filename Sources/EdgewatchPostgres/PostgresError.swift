/// What went wrong talking to PostgreSQL: the library missing, a connection refused or lost, or a
/// statement the server refused (with its SQLSTATE).
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// libpq could not be loaded (Debian's `libpq5` is missing).
        case library
        /// No connection, or it was lost: the statement may or may not have run.
        case connection
        /// The server refused the statement; nothing of it took effect.
        case statement
        /// A result that does not have the shape the caller expected.
        case result
    }

    public var kind: Kind
    /// The five-character SQLSTATE the server sent (`23505` for a unique violation), if any.
    public var sqlState: String?
    public var message: String

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
    }

    /// A unique constraint refused the row (another writer stored the same key first).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// The statement may be retried as is: the connection was lost, or the server ended the
    /// transaction to break a deadlock or a serialization conflict, or is shutting down.
    public var isTransient: Bool {
        if kind == .connection { return true }
        guard let state = sqlState else { return false }
        return state == "40001" || state == "40P01" || state.hasPrefix("08") || state.hasPrefix("57P")
    }

    public var description: String {
        sqlState.map { "PostgreSQL: \(message) (SQLSTATE \($0))" } ?? "PostgreSQL: \(message)"
    }
}
