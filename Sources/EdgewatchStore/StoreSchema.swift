import EdgewatchSQLite

/// The store's tables. Samples never get a row each: a block row holds one flush of all series,
/// Gorilla-compressed, and belongs to a segment (one hour of raw data, one day of 1 m rollups,
/// thirty days of 1 h rollups) that is evicted as a whole.
///
/// A block's rowid is `segment id << 24 | sequence`, so blocks need no index of their own; a
/// cycles row holds one flush's cycles (timestamps, monotonic times and durations as varints).
///
/// Version 2: each block row carries its first and last timestamp (as written, before any clock
/// correction of its segment) and whether the codec restarted there (``StoreWriter/restartRows``),
/// so a reader starts decoding at the last restart before the range it wants.
///
/// Version 3: events are occurrences (``EdgewatchCore/EventRecord``), unique by `(uid, count)`,
/// indexed by their own time and by when the agent recorded them (the uplink's window key).
///
/// Version 4: journal entries the agent captured (``EdgewatchCore/LogRecord``), unique by cursor,
/// so they outlive a journal kept only in RAM; the latest annotations of each alert.
///
/// Version 5: segments and cycles carry their clock era (see ``StoreWriter``): a clock that goes
/// back starts a new era, so the rows of one era never overlap in time.
///
/// Version 6: a series the writer forgot (it stopped being collected) is marked with the newest
/// segment at that time (`last_segment`; NULL while collected), so it is deleted once eviction has
/// removed that segment and every older one.
enum StoreSchema {
    static let version: Int64 = 6

    /// The rowid of block `sequence` of `segment`.
    static func blockID(segment: Int64, sequence: Int64) -> Int64 { segment << 24 | sequence }

    static let create = """
        CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS series(
            id INTEGER PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, type INTEGER NOT NULL,
            last_segment INTEGER, UNIQUE(name, labels));
        CREATE TABLE IF NOT EXISTS boots(seq INTEGER PRIMARY KEY, boot_id TEXT NOT NULL, first_ts INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS segments(
            id INTEGER PRIMARY KEY, tier INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,
            boot_seq INTEGER NOT NULL, synced INTEGER NOT NULL, offset_ms INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0, samples INTEGER NOT NULL DEFAULT 0, era INTEGER NOT NULL DEFAULT 0);
        CREATE INDEX IF NOT EXISTS segments_by_tier ON segments(tier, min_ts);
        CREATE TABLE IF NOT EXISTS blocks(
            id INTEGER PRIMARY KEY, data BLOB NOT NULL, min_ts INTEGER, max_ts INTEGER, restart INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS cycles(
            id INTEGER PRIMARY KEY, boot_seq INTEGER NOT NULL, synced INTEGER NOT NULL, offset_ms INTEGER NOT NULL DEFAULT 0,
            first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, last_monotonic_ns INTEGER NOT NULL, data BLOB NOT NULL,
            era INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS gaps(
            id INTEGER PRIMARY KEY, tier INTEGER NOT NULL, kind TEXT NOT NULL, start_ts INTEGER NOT NULL,
            end_ts INTEGER NOT NULL);
        """

    /// The events table (created after ``migrate(_:)`` has moved a version 2 table aside).
    static let createEvents = """
        CREATE TABLE IF NOT EXISTS events(
            id INTEGER PRIMARY KEY, recorded_ts INTEGER NOT NULL, ts INTEGER NOT NULL, first_ts INTEGER NOT NULL,
            source TEXT NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL, kind TEXT NOT NULL, namespace TEXT NOT NULL,
            name TEXT NOT NULL, message TEXT NOT NULL, count INTEGER NOT NULL, delta INTEGER NOT NULL, uid TEXT NOT NULL,
            node TEXT NOT NULL, UNIQUE(uid, count));
        CREATE INDEX IF NOT EXISTS events_by_time ON events(ts);
        CREATE INDEX IF NOT EXISTS events_by_recorded ON events(recorded_ts);
        """

    /// Captured journal entries (version 4).
    static let createLogs = """
        CREATE TABLE IF NOT EXISTS logs(
            id INTEGER PRIMARY KEY, ts_us INTEGER NOT NULL, monotonic_us INTEGER NOT NULL, boot_id TEXT NOT NULL,
            priority INTEGER NOT NULL, unit TEXT NOT NULL, message TEXT NOT NULL, cursor TEXT NOT NULL UNIQUE);
        CREATE INDEX IF NOT EXISTS logs_by_time ON logs(ts_us);
        CREATE TABLE IF NOT EXISTS alert_annotations(labels TEXT PRIMARY KEY, annotations TEXT NOT NULL, ts INTEGER NOT NULL) WITHOUT ROWID;
        """

    /// Brings a database written by an older version up to this one; refuses a newer one.
    static func migrate(_ database: SQLiteDatabase) throws(StoreError) {
        let found: Int64
        do {
            let text = try database.text("SELECT value FROM meta WHERE key = 'schema_version'")
            found = text.flatMap { Int64($0) } ?? version
            guard found <= version else {
                throw StoreError.configuration("the store was written by a newer edgewatch (schema \(found); this one reads up to \(version))")
            }
            if try !hasBlockIndex(database) {
                try database.execute(
                    """
                    ALTER TABLE blocks ADD COLUMN min_ts INTEGER;
                    ALTER TABLE blocks ADD COLUMN max_ts INTEGER;
                    ALTER TABLE blocks ADD COLUMN restart INTEGER NOT NULL DEFAULT 0;
                    """
                )
            }
            try migrateEvents(database)
            try database.execute(createLogs)
            for table in ["segments", "cycles"] where try !database.columns(of: table).contains("era") {
                try database.execute("ALTER TABLE \(table) ADD COLUMN era INTEGER NOT NULL DEFAULT 0")
            }
            if try !database.columns(of: "series").contains("last_segment") {
                try database.execute("ALTER TABLE series ADD COLUMN last_segment INTEGER")
            }
            try database.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '\(version)')")
        } catch {
            throw StoreError(mapping: error)
        }
    }

    /// Version 2 kept `events(ts, kind, detail)` for clock jumps and boots: their rows become
    /// node-local occurrences (`ClockJump`, `NodeRebooted`) in the version 3 table.
    static func migrateEvents(_ database: SQLiteDatabase) throws(SQLiteError) {
        let columns = try database.columns(of: "events")
        if !columns.isEmpty, !columns.contains("uid") {
            try database.transaction { () throws(SQLiteError) in
                try database.execute("ALTER TABLE events RENAME TO events_v2")
                try database.execute(createEvents)
                try database.execute(
                    """
                    INSERT OR IGNORE INTO events(recorded_ts, ts, first_ts, source, type, reason, kind, namespace, name, message,
                        count, delta, uid, node)
                    SELECT ts, ts, ts, 'node', 'Warning', CASE kind WHEN 'boot' THEN 'NodeRebooted' ELSE 'ClockJump' END, 'Node', '',
                        '', detail, 1, 1, 'v2-' || kind || '-' || ts, '' FROM events_v2
                    """
                )
                try database.execute("DROP TABLE events_v2")
            }
        }
        try database.execute(createEvents)
    }

    /// Whether block rows carry their time range and restart flag (version 2 and later).
    static func hasBlockIndex(_ database: SQLiteDatabase) throws(SQLiteError) -> Bool {
        try database.columns(of: "blocks").contains("restart")
    }
}
