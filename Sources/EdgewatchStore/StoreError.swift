import EdgewatchSQLite

/// Why the store failed.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case database(SQLiteError)
    case configuration(String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .database(let error): return "store: \(error)"
        case .configuration(let message): return "store: \(message)"
        case .corrupt(let message): return "store: corrupt data: \(message)"
        }
    }
}
