import CPostgres

extension PostgresConnection {
    /// Runs `key` with its values (binary, `lengths` bytes each) as ``PreparedStatements`` plans.
    /// A prepared statement the server no longer takes (a schema changed under it, or a pooler
    /// lent another session) is dropped from the plan, and the statement runs unnamed at once
    /// when no transaction was open; inside one, the error ends it and is thrown.
    func run(_ key: PreparedStatements.Key, _ values: [UnsafePointer<CChar>?], _ lengths: [Int32]) throws(PostgresError) -> PostgresResult {
        let plan: PreparedStatements.Plan = key.types.isEmpty ? .unnamed : statements.plan(key)
        if let begin = deferredBegin {
            deferredBegin = nil
            do {
                return try begun(begin, plan, key, values, lengths)
            } catch {
                // Inside the transaction just begun: the plan is mended, the error ends it.
                if plan != .unnamed { _ = recover(from: error, key) }
                throw error
            }
        }
        let idle = cew_pq_transaction_status(handle) == 0
        do {
            switch plan {
            case .unnamed:
                return try unnamed(key, values, lengths)
            case .prepare(let name):
                _ = try checked(cew_pq_prepare(handle, name, key.sql, Int32(key.types.count), key.types))
                statements.prepared(key, as: name)
                return try prepared(name, values, lengths)
            case .prepared(let name):
                return try prepared(name, values, lengths)
            }
        } catch {
            guard plan != .unnamed, recover(from: error, key), idle else { throw error }
            return try unnamed(key, values, lengths)
        }
    }

    /// Whether `error`, from running `key` prepared, says the server does not keep it prepared;
    /// the plan is mended when it does.
    private func recover(from error: PostgresError, _ key: PreparedStatements.Key) -> Bool {
        switch error.sqlState {
        case "26000", "42P05":  // no such prepared statement, or one by that name already
            statements.disable()
            return true
        case "0A000":  // a cached plan whose result type changed (a migration)
            statements.forget(key)
            return true
        default:
            return false
        }
    }

    /// `begin` and the statement, as `plan` says, in one round trip (``deferredBegin``).
    private func begun(
        _ begin: String,
        _ plan: PreparedStatements.Plan,
        _ key: PreparedStatements.Key,
        _ values: [UnsafePointer<CChar>?],
        _ lengths: [Int32]
    ) throws(PostgresError) -> PostgresResult {
        let (name, prepare): (String?, Int32) =
            switch plan {
            case .unnamed: (nil, 0)
            case .prepare(let name): (name, 1)
            case .prepared(let name): (name, 0)
            }
        let count = Int32(values.count)
        let result = try checked(
            cew_pq_exec_begun(handle, begin, name, prepare, key.sql, count, key.types, values, lengths, Self.binary(values.count), 1)
        )
        if case .prepare(let name) = plan { statements.prepared(key, as: name) }
        return result
    }

    private func unnamed(_ key: PreparedStatements.Key, _ values: [UnsafePointer<CChar>?], _ lengths: [Int32]) throws(PostgresError) -> PostgresResult
    {
        try checked(cew_pq_exec(handle, key.sql, Int32(values.count), key.types, values, lengths, Self.binary(values.count), 1))
    }

    private func prepared(_ name: String, _ values: [UnsafePointer<CChar>?], _ lengths: [Int32]) throws(PostgresError) -> PostgresResult {
        try checked(cew_pq_exec_prepared(handle, name, Int32(values.count), values, lengths, Self.binary(values.count), 1))
    }

    /// Formats saying every one of `count` values is binary.
    private static func binary(_ count: Int) -> [Int32] { [Int32](repeating: 1, count: count) }
}
