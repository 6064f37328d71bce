import EdgewatchSQLite

extension StoreError {
    /// One mapping for errors out of a store operation: SQLite's become `.database`, the store's
    /// own pass through, anything else (a block or varint that does not decode) is corrupt data.
    init(mapping error: any Error) {
        switch error {
        case let error as SQLiteError: self = .database(error)
        case let error as StoreError: self = error
        default: self = .corrupt("\(error)")
        }
    }
}
