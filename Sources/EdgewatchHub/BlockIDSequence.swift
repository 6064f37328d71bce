import EdgewatchSQLite

/// The ids the SQLite hub gives the blocks it stores: past every id it gave and every id stored,
/// so that no id is given twice while it runs. SQLite's own choice, one past the largest in the
/// table, gives the largest again once its block is deleted (upkeep folding or retention dropping
/// the newest blocks of an idle fleet); a query's kept points (``SQLiteBlockPoints``) are by block
/// id and hold for as long as the id names the same bytes. Used under the writer's lock.
final class BlockIDSequence {
    private var last: Int64

    init(_ database: SQLiteDatabase) throws(SQLiteError) {
        last = try database.integer("SELECT coalesce(max(id), 0) FROM blocks")
    }

    /// One past the largest id given (the least the next block may take).
    var next: Int64 { last + 1 }

    /// Notes the id SQLite gave a block stored with ``id(_:)``.
    func given(_ id: Int64) { last = max(last, id) }

    /// The id of a block inserted with ``next`` bound to parameter `parameter`: that, or one past
    /// the largest stored when larger (another connection's insert; none in a running hub).
    static func id(_ parameter: Int) -> String {
        "max(?\(parameter), (SELECT coalesce(max(id), 0) + 1 FROM blocks))"
    }
}
