import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

extension HubDatabaseWriter {
    /// remote_write: the targets, each target's queue of block ids (filled in the transaction that
    /// stores the block, so a block is queued exactly when it is stored), what targets refused, and
    /// the newest time each target holds per series (by label fingerprint, stored as its bits).
    static let remoteWriteSchema = """
        CREATE TABLE IF NOT EXISTS remote_write_targets(name TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS remote_write_queue(target TEXT NOT NULL, block INTEGER NOT NULL,
            PRIMARY KEY(target, block)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS remote_write_refused(target TEXT NOT NULL, block INTEGER NOT NULL, at INTEGER NOT NULL,
            status INTEGER NOT NULL, reason TEXT NOT NULL, PRIMARY KEY(target, block)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS remote_write_high_water(target TEXT NOT NULL, series INTEGER NOT NULL, ts INTEGER NOT NULL,
            PRIMARY KEY(target, series)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS remote_write_queue_by_block ON remote_write_queue(block);
        """

    /// Queues the block just inserted (`block`) for every target.
    func enqueue(block: Int64) throws(SQLiteError) {
        try database.statement("INSERT INTO remote_write_queue(target, block) SELECT name, ? FROM remote_write_targets").bind(1, block).run()
    }

    func setRemoteWriteTargets(_ targets: [String]) throws(SQLiteError) {
        try database.transaction { () throws(SQLiteError) in
            var known: [String] = []
            let statement = try database.statement("SELECT name FROM remote_write_targets")
            while try statement.step() { known.append(statement.string(0)) }
            statement.reset()
            for name in known where !targets.contains(name) {
                for table in [
                    "remote_write_targets WHERE name", "remote_write_queue WHERE target", "remote_write_refused WHERE target",
                    "remote_write_high_water WHERE target",
                ] {
                    try database.statement("DELETE FROM \(table) = ?").bind(1, name).run()
                }
            }
            for name in targets {
                try database.statement("INSERT OR IGNORE INTO remote_write_targets(name) VALUES(?)").bind(1, name).run()
            }
        }
    }

    func remoteWriteSent(target: String, blocks: [Int64], highWater: [UInt64: Int64]) throws(SQLiteError) {
        try database.transaction { () throws(SQLiteError) in
            for block in blocks {
                try database.statement("DELETE FROM remote_write_queue WHERE target = ? AND block = ?").bind(1, target).bind(2, block).run()
            }
            let raise = try database.statement(
                """
                INSERT INTO remote_write_high_water(target, series, ts) VALUES(?, ?, ?)
                    ON CONFLICT(target, series) DO UPDATE SET ts = max(ts, excluded.ts)
                """
            )
            for (series, time) in highWater { try raise.bind(1, target).bind(2, Int64(bitPattern: series)).bind(3, time).run() }
        }
    }

    /// Drops up to `limit` of `target`'s series times older than `before`, of the series after
    /// `after` (their bits, ascending; nil: from the first); returns the last series looked at, nil
    /// when none is left.
    func remoteWriteForget(target: String, before: Int64, after: Int64?, limit: Int) throws(SQLiteError) -> Int64? {
        try database.transaction { () throws(SQLiteError) -> Int64? in
            let old = try database.statement(
                """
                SELECT series FROM remote_write_high_water WHERE target = ? AND series \(after == nil ? ">=" : ">") ? AND ts < ?
                ORDER BY series LIMIT ?
                """
            )
            old.bind(1, target).bind(2, after ?? .min).bind(3, before).bind(4, Int64(limit))
            var series: [Int64] = []
            while try old.step() { series.append(old.int64(0)) }
            old.reset()
            let drop = try database.statement("DELETE FROM remote_write_high_water WHERE target = ? AND series = ?")
            for key in series {
                drop.reset()
                try drop.bind(1, target).bind(2, key).run()
            }
            return series.count < limit ? nil : series.last
        }
    }

    func remoteWriteRefused(target: String, blocks: [Int64], status: Int, reason: String, at time: Int64) throws(SQLiteError) {
        try database.transaction { () throws(SQLiteError) in
            for block in blocks {
                try database.statement("DELETE FROM remote_write_queue WHERE target = ? AND block = ?").bind(1, target).bind(2, block).run()
                try database.statement(
                    "INSERT OR REPLACE INTO remote_write_refused(target, block, at, status, reason) VALUES(?, ?, ?, ?, ?)"
                ).bind(1, target).bind(2, block).bind(3, time).bind(4, Int64(status)).bind(5, reason).run()
            }
        }
    }
}

extension SQLiteDatabase {
    /// The oldest `limit` blocks of `target`'s queue, their series described.
    func remoteWriteQueue(target: String, limit: Int) throws(SQLiteError) -> [QueuedBlock] {
        let statement = try statement(
            """
            SELECT q.block, b.tier, b.series, b.data, coalesce(n.cluster, '') FROM remote_write_queue q JOIN blocks b ON b.id = q.block
                LEFT JOIN nodes n ON n.name = b.node WHERE q.target = ? ORDER BY q.block LIMIT ?
            """
        )
        statement.bind(1, target).bind(2, Int64(limit))
        var rows: [QueuedBlock.Row] = []
        while try statement.step() {
            rows.append(
                (
                    statement.int64(0), statement.int64(1), Varint.decodeAll(statement.blob(2)).map { Int64($0) }, statement.blob(3),
                    statement.string(4)
                )
            )
        }
        statement.reset()
        var described: [Int64: QueuedBlock.Description] = [:]
        let lookup = try self.statement("SELECT name, labels, type FROM series WHERE id = ?")
        for id in Set(rows.flatMap(\.ids)) {
            lookup.bind(1, id)
            if try lookup.step() { described[id] = (lookup.string(0), lookup.string(1), lookup.int64(2)) }
            lookup.reset()
        }
        return QueuedBlock.blocks(rows, described: described)
    }

    /// The newest time `target` holds per series fingerprint.
    func remoteWriteHighWater(target: String) throws(SQLiteError) -> [UInt64: Int64] {
        let statement = try statement("SELECT series, ts FROM remote_write_high_water WHERE target = ?")
        statement.bind(1, target)
        defer { statement.reset() }
        var result: [UInt64: Int64] = [:]
        while try statement.step() { result[UInt64(bitPattern: statement.int64(0))] = statement.int64(1) }
        return result
    }

    /// Queued and refused blocks per target (every target listed).
    func remoteWriteCounts() throws(SQLiteError) -> [String: RemoteWriteQueueCounts] {
        var counts: [String: RemoteWriteQueueCounts] = [:]
        let targets = try statement("SELECT name FROM remote_write_targets")
        while try targets.step() { counts[targets.string(0)] = RemoteWriteQueueCounts() }
        targets.reset()
        let queued = try statement("SELECT target, count(*) FROM remote_write_queue GROUP BY target")
        while try queued.step() { counts[queued.string(0), default: RemoteWriteQueueCounts()].queued = queued.int64(1) }
        queued.reset()
        let refused = try statement("SELECT target, count(*) FROM remote_write_refused GROUP BY target")
        while try refused.step() { counts[refused.string(0), default: RemoteWriteQueueCounts()].refused = refused.int64(1) }
        refused.reset()
        return counts
    }
}
