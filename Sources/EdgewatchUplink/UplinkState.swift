import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire

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
            CREATE TABLE IF NOT EXISTS backlog(stream TEXT NOT NULL, from_slot INTEGER NOT NULL, to_slot INTEGER NOT NULL,
                PRIMARY KEY(stream, from_slot));
            """
        )
        // Cursors written before live slots had one backlog range and no step in flight.
        let columns = try database.columns(of: "cursor")
        for (column, type) in Self.addedColumns where !columns.contains(column) {
            try database.execute("ALTER TABLE cursor ADD COLUMN \(column) \(type)")
        }
    }

    /// Cursor columns added since the first state files: the step in flight and the backlog's size.
    static let addedColumns = [
        ("inflight_first", "INTEGER"), ("inflight_slots", "INTEGER"), ("inflight_live", "INTEGER"), ("backlog_slots", "INTEGER"),
    ]

    func plan(stream: String) throws(SQLiteError) -> UplinkPlan {
        let statement = try database.statement(
            "SELECT live_next, backlog_from, backlog_to, inflight_first, inflight_slots, inflight_live FROM cursor WHERE stream = ?"
        )
        statement.bind(1, stream)
        defer { statement.reset() }
        guard try statement.step() else { return UplinkPlan() }
        var plan = UplinkPlan()
        plan.liveNext = statement.isNull(0) ? nil : statement.int64(0)
        if !statement.isNull(3), !statement.isNull(4) {
            let first = statement.int64(3)
            plan.inflight = statement.int64(5) != 0 ? .live(first) : .backfill(first, slots: max(statement.int64(4), 1))
        }
        let ranges = try database.statement("SELECT from_slot, to_slot FROM backlog WHERE stream = ? ORDER BY from_slot")
        ranges.bind(1, stream)
        defer { ranges.reset() }
        while try ranges.step() {
            if ranges.int64(0) < ranges.int64(1) { plan.backlog.append(ranges.int64(0)..<ranges.int64(1)) }
        }
        // A cursor from before backlog ranges keeps its one range in the cursor row.
        if plan.backlog.isEmpty, !statement.isNull(1), !statement.isNull(2), statement.int64(1) < statement.int64(2) {
            plan.backlog = [statement.int64(1)..<statement.int64(2)]
        }
        return plan
    }

    /// The newest clock era with a cursor at `tier` (eras are sent in order; 0 when none).
    func newestEra(tier: Tier) throws(SQLiteError) -> Int64 {
        let statement = try database.statement("SELECT stream FROM cursor WHERE stream LIKE ?")
        statement.bind(1, "metrics/\(tier.name)%")
        defer { statement.reset() }
        var newest: Int64 = 0
        while try statement.step() {
            let stream = statement.string(0)
            guard let era = UplinkStream.era(stream), stream.hasPrefix("metrics/\(UplinkStream.family(tier: tier, era: era))/") else { continue }
            newest = max(newest, era)
        }
        return newest
    }

    /// The first millisecond not yet delivered by earlier streams of `prefix` (e.g. `metrics/raw/`) with
    /// another window width: their backlog start, else their live edge. Nil when there are none.
    func coveredUntil(prefix: String, except stream: String) throws(SQLiteError) -> Int64? {
        let statement = try database.statement("SELECT stream, live_next, backlog_from FROM cursor WHERE stream LIKE ? AND stream != ?")
        statement.bind(1, prefix + "%").bind(2, stream)
        var result: Int64?
        while try statement.step() {
            guard !statement.isNull(1), let width = UplinkStream.parse(statement.string(0))?.widthMilliseconds else { continue }
            let next = statement.isNull(2) ? statement.int64(1) : statement.int64(2)
            let until = next * width
            result = min(result ?? until, until)
        }
        return result
    }

    /// Saves the plan in one commit: live edge, step in flight and backlog ranges (the cursor row
    /// also keeps the backlog's outer bounds and size for readers).
    func save(_ plan: UplinkPlan, stream: String) throws(SQLiteError) {
        try database.transaction { () throws(SQLiteError) in
            let statement = try database.statement(
                """
                INSERT OR REPLACE INTO cursor(stream, live_next, backlog_from, backlog_to, inflight_first, inflight_slots, inflight_live,
                    backlog_slots) VALUES(?, ?, ?, ?, ?, ?, ?, ?)
                """
            )
            statement.bind(1, stream).bind(8, plan.backlogCount)
            if let live = plan.liveNext { statement.bind(2, live) }
            if let first = plan.backlog.first, let last = plan.backlog.last { statement.bind(3, first.lowerBound).bind(4, last.upperBound) }
            if let step = plan.inflight, let span = step.span {
                statement.bind(5, span.first).bind(6, span.slots)
                if case .live = step { statement.bind(7, Int64(1)) } else { statement.bind(7, Int64(0)) }
            }
            try statement.run()
            try database.statement("DELETE FROM backlog WHERE stream = ?").bind(1, stream).run()
            for range in plan.backlog {
                try database.statement("INSERT INTO backlog(stream, from_slot, to_slot) VALUES(?, ?, ?)")
                    .bind(1, stream).bind(2, range.lowerBound).bind(3, range.upperBound).run()
            }
        }
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
