import EdgewatchCore
import EdgewatchSQLite

/// Captured journal entries: buffered like events, committed with the journal cursor in the same
/// transaction (so a crash replays from the last committed entry and the cursor's uniqueness drops
/// the repeats), held to `logsMaxBytes`, oldest dropped first.
extension StoreWriter {
    /// At most this many entries wait in memory while flushes fail; later ones are dropped (the
    /// cursor did not move past them, so they are read again).
    public static let maxPendingLogs = 20_000

    /// The journal cursor committed with the last captured entries, nil before the first.
    public static let journalCursorKey = "journal_cursor"

    /// Buffers entries and the cursor after them; returns false when the buffer is full (nothing taken).
    @discardableResult
    public func recordLogs(_ records: [LogRecord], cursor: String) -> Bool {
        guard pendingLogs.count + records.count <= Self.maxPendingLogs else { return false }
        pendingLogs += records
        setMeta(Self.journalCursorKey, cursor)
        return true
    }

    func writePendingLogs() throws(SQLiteError) {
        for record in pendingLogs {
            try database.statement(
                "INSERT OR IGNORE INTO logs(ts_us, monotonic_us, boot_id, priority, unit, message, cursor) VALUES(?, ?, ?, ?, ?, ?, ?)"
            ).bind(1, record.realtimeMicroseconds).bind(2, record.monotonicMicroseconds).bind(3, record.bootID)
                .bind(4, Int64(record.priority)).bind(5, record.unit).bind(6, record.message).bind(7, record.cursor).run()
            if database.changes > 0 { logBytes += Self.estimatedBytes(record) }
        }
    }

    /// Bytes a log row and its index entries take, roughly.
    static func estimatedBytes(_ record: LogRecord) -> Int64 {
        Int64(record.message.utf8.count + record.unit.utf8.count + record.bootID.utf8.count + 2 * record.cursor.utf8.count + 48)
    }

    /// Reads the estimate over the stored rows (at open).
    func loadLogBytes() throws(SQLiteError) {
        logBytes = try database.integer(
            "SELECT COALESCE(SUM(length(message) + length(unit) + length(boot_id) + 2 * length(cursor) + 48), 0) FROM logs"
        )
    }

    /// Drops the oldest entries down to three quarters of `logsMaxBytes` when over it.
    func enforceLogShare() throws(SQLiteError) {
        guard logBytes > configuration.logsMaxBytes else { return }
        var freed: Int64 = 0
        var lastID: Int64 = -1
        let statement = try database.statement(
            "SELECT id, length(message) + length(unit) + length(boot_id) + 2 * length(cursor) + 48 FROM logs ORDER BY id"
        )
        while try statement.step(), logBytes - freed > configuration.logsMaxBytes * 3 / 4 {
            lastID = statement.int64(0)
            freed += statement.int64(1)
        }
        statement.reset()
        guard lastID >= 0 else { return }
        try database.statement("DELETE FROM logs WHERE id <= ?").bind(1, lastID).run()
        logBytes -= freed
    }
}
