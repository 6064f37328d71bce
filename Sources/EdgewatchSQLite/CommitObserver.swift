import Synchronization

/// What ``SQLiteDatabase/observeCommits(of:_:)`` installs: the rowids the connection changed in
/// some tables since its last commit, handed on once the next commit is done.
final class CommitObserver: Sendable {
    private let tables: [String]
    private let handler: @Sendable ([String: Set<Int64>]) -> Void
    /// The log's pages at which a commit checkpoints (SQLite's automatic checkpoint, which the
    /// commit hook replaces); 0: never.
    let checkpointPages: Int32
    private let changed = Mutex<[String: Set<Int64>]>([:])

    init(tables: [String], checkpointPages: Int32, handler: @escaping @Sendable ([String: Set<Int64>]) -> Void) {
        self.tables = tables
        self.checkpointPages = checkpointPages
        self.handler = handler
    }

    /// A row of `table` inserted, updated or deleted (by a statement of the connection's).
    func note(table: String, rowid: Int64) {
        guard tables.contains(table) else { return }
        changed.withLock { _ = $0[table, default: []].insert(rowid) }
    }

    /// A commit is done: the rows noted since the last one go to the handler.
    func committed() {
        let rows = changed.withLock { changed in
            defer { changed = [:] }
            return changed
        }
        if !rows.isEmpty { handler(rows) }
    }
}
