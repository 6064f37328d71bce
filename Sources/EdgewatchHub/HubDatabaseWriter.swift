import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire

/// The hub database's writing side: the connection and the ids of the series it holds. Owned by
/// ``SQLiteHubStorage`` under a lock; each batch is one transaction, committed with fsync.
struct HubDatabaseWriter {
    let database: SQLiteDatabase
    /// Series ids by the digest of their label set (with `__name__` and `node`), of the series
    /// batches named lately; the others are found stored when they come back
    /// (``seriesIDs(_:at:uncommitted:found:added:)``).
    var ids = RecentEntries<SeriesDigest, Int64>(age: RecentEntries<SeriesDigest, Int64>.seriesAge)
    /// Per node, how often retention deleted series of it since start (``PrunedSeries``): ids a
    /// series table resolved to (``ResolvedSeriesTables``) are taken only at the count they were
    /// resolved at.
    var seriesEpochs: [String: Int64] = [:]
    /// The ids of the blocks it stores (``BlockIDSequence``).
    let blockIDs: BlockIDSequence

    /// `series` has no unique index on its label sets: this writer is the database's only one and
    /// adds a series only when it finds none stored (by ``lookupKey(_:)``), and such an index over
    /// a fleet's million label sets made creating series five times slower (each batch of new
    /// series dirtied pages all over it).
    static let schema = """
        CREATE TABLE IF NOT EXISTS nodes(name TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL, last_sample_ts INTEGER NOT NULL DEFAULT 0, batches INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0, samples INTEGER NOT NULL DEFAULT 0, gaps INTEGER NOT NULL DEFAULT 0,
            clock_events INTEGER NOT NULL DEFAULT 0, downgraded INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS batches(node TEXT NOT NULL, stream TEXT NOT NULL, sequence INTEGER NOT NULL,
            received_at INTEGER NOT NULL, samples INTEGER NOT NULL, tier INTEGER NOT NULL, downgraded_from INTEGER,
            PRIMARY KEY(node, stream, sequence)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, type INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS blocks(id INTEGER PRIMARY KEY, node TEXT NOT NULL, tier INTEGER NOT NULL, min_ts INTEGER NOT NULL,
            max_ts INTEGER NOT NULL, series BLOB NOT NULL, name TEXT NOT NULL DEFAULT '', series_index BLOB, data BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS blocks_by_time ON blocks(max_ts, min_ts);
        CREATE TABLE IF NOT EXISTS gaps(node TEXT NOT NULL, from_ts INTEGER NOT NULL, to_ts INTEGER NOT NULL, reason TEXT NOT NULL,
            UNIQUE(node, from_ts, to_ts, reason));
        """

    /// Event occurrences, deduplicated by `(node, uid, count)` (created after an older table of
    /// `(node, ts, kind, detail)` rows was moved aside, see ``migrateEvents()``).
    static let eventSchema = """
        CREATE TABLE IF NOT EXISTS events(node TEXT NOT NULL, uid TEXT NOT NULL, count INTEGER NOT NULL, ts INTEGER NOT NULL,
            first_ts INTEGER NOT NULL, recorded_ts INTEGER NOT NULL, source TEXT NOT NULL, type TEXT NOT NULL, reason TEXT NOT NULL,
            kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, message TEXT NOT NULL, delta INTEGER NOT NULL,
            PRIMARY KEY(node, uid, count));
        CREATE INDEX IF NOT EXISTS events_by_time ON events(ts);
        """

    /// Opens the database, creating the schema.
    init(path: String) throws(SQLiteError) {
        database = try SQLiteDatabase(path: path)
        try database.useWriteAheadLog()
        try database.execute(Self.schema)
        blockIDs = try BlockIDSequence(database)
        try database.execute(Self.seriesTableSchema)
        try database.execute(Self.remoteWriteSchema)
        try addMaintenanceSchema()
        try migrateEvents()
        try addReportColumns()
        try dropSeriesUniqueness()
        try addSeriesLookup()
        try addPresence()
    }

    func nodeSecretHash(_ node: String) throws(SQLiteError) -> String? {
        let statement = try database.statement("SELECT secret_hash FROM nodes WHERE name = ?")
        statement.bind(1, node)
        defer { statement.reset() }
        return try statement.step() ? statement.string(0) : nil
    }

    func registerNode(_ node: String, secretHash: String, at time: Int64) throws(SQLiteError) {
        try database.statement("INSERT OR IGNORE INTO nodes(name, secret_hash, first_seen, last_seen) VALUES(?, ?, ?, ?)")
            .bind(1, node).bind(2, secretHash).bind(3, time).bind(4, time).run()
    }

    /// The node report's columns, added to a database made before they existed.
    private func addReportColumns() throws(SQLiteError) {
        let names = try database.columns(of: "nodes")
        for (column, type) in [
            ("cluster", "TEXT NOT NULL DEFAULT ''"), ("backlog", "INTEGER NOT NULL DEFAULT 0"),
            ("dead_letters", "INTEGER NOT NULL DEFAULT 0"), ("slot_ms", "INTEGER NOT NULL DEFAULT 0"),
        ] where !names.contains(column) {
            try database.execute("ALTER TABLE nodes ADD COLUMN \(column) \(type)")
        }
    }

    func report(_ report: NodeReport, node: String) throws(SQLiteError) {
        try database.statement("UPDATE nodes SET cluster = ?, backlog = ?, dead_letters = ?, slot_ms = ? WHERE name = ?")
            .bind(1, report.cluster).bind(2, report.backlogWindows).bind(3, report.deadLetters).bind(4, report.slotMilliseconds)
            .bind(5, node).run()
    }

    /// A database made while `series` had `UNIQUE(name, labels)` gets the table without it (its
    /// index, as large as the table, cannot be dropped alone); ids stay as they were.
    private func dropSeriesUniqueness() throws(SQLiteError) {
        let indexed = try database.integer(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'series' AND name LIKE 'sqlite_autoindex_series%'"
        )
        guard indexed > 0 else { return }
        try database.transaction { () throws(SQLiteError) in
            try database.execute("ALTER TABLE series RENAME TO series_unique")
            try database.execute(Self.schema)
            try database.execute("INSERT INTO series(id, name, labels, type) SELECT id, name, labels, type FROM series_unique")
            try database.execute("DROP TABLE series_unique")
        }
    }

    /// The older events table (hubs before version 3 batches) becomes occurrence rows.
    private func migrateEvents() throws(SQLiteError) {
        let names = try database.columns(of: "events")
        if !names.isEmpty, !names.contains("uid") {
            try database.transaction { () throws(SQLiteError) in
                try database.execute("ALTER TABLE events RENAME TO events_v2")
                try database.execute(Self.eventSchema)
                try database.execute(
                    """
                    INSERT OR IGNORE INTO events SELECT node, 'v2-' || kind || '-' || ts, 1, ts, ts, ts, 'node', 'Warning',
                        CASE kind WHEN 'boot' THEN 'NodeRebooted' ELSE 'ClockJump' END, 'Node', '', node, detail, 1 FROM events_v2
                    """
                )
                try database.execute("DROP TABLE events_v2")
            }
        }
        try database.execute(Self.eventSchema)
    }

    /// Adds the batch's events; one already stored for `(node, uid, count)` is skipped.
    func insertEvents(_ batch: UplinkBatch) throws(SQLiteError) {
        for event in batch.events {
            try database.statement(
                """
                INSERT OR IGNORE INTO events(node, uid, count, ts, first_ts, recorded_ts, source, type, reason, kind, namespace, name,
                    message, delta) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).bind(1, batch.node).bind(2, event.uid).bind(3, event.count).bind(4, event.time).bind(5, event.firstSeen)
                .bind(6, event.recorded).bind(7, event.source.rawValue).bind(8, event.type).bind(9, event.reason)
                .bind(10, event.object.kind).bind(11, event.object.namespace).bind(12, event.object.name).bind(13, event.message)
                .bind(14, event.delta).run()
        }
    }
}
