import EdgewatchEncoding
import EdgewatchSQLite

/// The uplink's durable state beside the store (`<store>-uplink.db`): the plan (cursor),
/// dead letters and downgrades. The cursor moves only after the hub's 2xx. Runs on a thread of
/// its own: each save is a commit with fsync.
actor UplinkState {
    private let database: SQLiteDatabase
    private let thread: DatabaseThread

    nonisolated var unownedExecutor: UnownedSerialExecutor { thread.unownedExecutor }

    init(path: String, thread: DatabaseThread) throws(SQLiteError) {
        self.thread = thread
        database = try SQLiteDatabase(path: path)
        try database.useWriteAheadLog()
        try database.execute(
            """
            CREATE TABLE IF NOT EXISTS cursor(stream TEXT PRIMARY KEY, live_next INTEGER, backlog_from INTEGER, backlog_to INTEGER);
            CREATE TABLE IF NOT EXISTS dead_letters(stream TEXT NOT NULL, sequence INTEGER NOT NULL, status INTEGER NOT NULL,
                reason TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(stream, sequence));
            CREATE TABLE IF NOT EXISTS downgrades(stream TEXT NOT NULL, sequence INTEGER NOT NULL, from_tier INTEGER NOT NULL,
                to_tier INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(stream, sequence));
            """
        )
    }

    func plan(stream: String) throws(SQLiteError) -> UplinkPlan {
        let statement = try database.statement("SELECT live_next, backlog_from, backlog_to FROM cursor WHERE stream = ?")
        statement.bind(1, stream)
        defer { statement.reset() }
        guard try statement.step() else { return UplinkPlan() }
        var plan = UplinkPlan()
        plan.liveNext = statement.isNull(0) ? nil : statement.int64(0)
        if !statement.isNull(1), !statement.isNull(2), statement.int64(1) < statement.int64(2) {
            plan.backlog = statement.int64(1)..<statement.int64(2)
        }
        return plan
    }

    /// The first millisecond not yet delivered by earlier streams of `prefix` (e.g. `metrics/raw/`) with
    /// another window width: their backlog start, else their live edge. Nil when there are none.
    func coveredUntil(prefix: String, except stream: String) throws(SQLiteError) -> Int64? {
        let statement = try database.statement("SELECT stream, live_next, backlog_from FROM cursor WHERE stream LIKE ? AND stream != ?")
        statement.bind(1, prefix + "%").bind(2, stream)
        var result: Int64?
        while try statement.step() {
            guard !statement.isNull(1), let seconds = Int64(statement.string(0).dropFirst(prefix.count).dropLast()) else { continue }
            let next = statement.isNull(2) ? statement.int64(1) : statement.int64(2)
            let until = next * seconds * 1000
            result = min(result ?? until, until)
        }
        return result
    }

    func save(_ plan: UplinkPlan, stream: String) throws(SQLiteError) {
        let statement = try database.statement("INSERT OR REPLACE INTO cursor(stream, live_next, backlog_from, backlog_to) VALUES(?, ?, ?, ?)")
        statement.bind(1, stream)
        if let live = plan.liveNext { statement.bind(2, live) }
        if let backlog = plan.backlog { statement.bind(3, backlog.lowerBound).bind(4, backlog.upperBound) }
        try statement.run()
    }

    func deadLetter(stream: String, sequence: Int64, status: Int, reason: String, at time: Int64) throws(SQLiteError) {
        try database.statement("INSERT OR REPLACE INTO dead_letters(stream, sequence, status, reason, at) VALUES(?, ?, ?, ?, ?)")
            .bind(1, stream).bind(2, sequence).bind(3, Int64(status)).bind(4, String(reason.prefix(500))).bind(5, time).run()
    }

    func downgrade(stream: String, sequence: Int64, from: Tier, to: Tier, at time: Int64) throws(SQLiteError) {
        try database.statement("INSERT OR REPLACE INTO downgrades(stream, sequence, from_tier, to_tier, at) VALUES(?, ?, ?, ?, ?)")
            .bind(1, stream).bind(2, sequence).bind(3, Int64(from.rawValue)).bind(4, Int64(to.rawValue)).bind(5, time).run()
    }

    /// Dead letters and downgrades recorded so far.
    func counts() -> (deadLetters: Int64, downgrades: Int64) {
        ((try? database.integer("SELECT count(*) FROM dead_letters")) ?? 0, (try? database.integer("SELECT count(*) FROM downgrades")) ?? 0)
    }

    func close() { database.close() }
}
