import CSQLite

extension SQLiteDatabase {
    /// Calls `handler`, after each commit of this connection is done (so that every reader that
    /// starts then sees it), with the rowids of the rows of `tables` it inserted, updated or
    /// deleted: a reader keeping copies of such rows reads those again, not every row. Rows
    /// changed by a transaction rolled back come with the next commit (reading them again finds
    /// them as they are). In WAL mode only (the commit hook is the log's); it keeps the
    /// connection's automatic checkpoint. Once per connection.
    public func observeCommits(of tables: [String], _ handler: @escaping @Sendable (_ changed: [String: Set<Int64>]) -> Void) throws(SQLiteError) {
        let observer = CommitObserver(tables: tables, checkpointPages: Int32(clamping: try integer("PRAGMA wal_autocheckpoint")), handler: handler)
        // The connection keeps the observer as long as the hooks may run.
        commitObserver = observer
        let context = Unmanaged.passUnretained(observer).toOpaque()
        sqlite3_update_hook(
            handle,
            { context, _, _, table, rowid in
                guard let context, let table else { return }
                Unmanaged<CommitObserver>.fromOpaque(context).takeUnretainedValue().note(table: String(cString: table), rowid: rowid)
            },
            context
        )
        sqlite3_wal_hook(
            handle,
            { context, database, name, pages in
                guard let context else { return SQLITE_OK }
                let observer = Unmanaged<CommitObserver>.fromOpaque(context).takeUnretainedValue()
                // What SQLite's own hook did: a passive checkpoint once the log is that long.
                if observer.checkpointPages > 0, pages >= observer.checkpointPages { sqlite3_wal_checkpoint(database, name) }
                observer.committed()
                return SQLITE_OK
            },
            context
        )
    }
}
