import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire

/// The hub database's writing side: the connection and the ids of the series it holds. Owned by
/// ``SQLiteHubStorage`` under a lock; each batch is one transaction, committed with fsync.
struct HubDatabaseWriter {
    let database: SQLiteDatabase
    /// Series ids by label set (with `__name__` and `node`).
    private(set) var ids: [Labels: Int64] = [:]

    static let schema = """
        CREATE TABLE IF NOT EXISTS nodes(name TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL, last_sample_ts INTEGER NOT NULL DEFAULT 0, batches INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0, samples INTEGER NOT NULL DEFAULT 0, gaps INTEGER NOT NULL DEFAULT 0,
            clock_events INTEGER NOT NULL DEFAULT 0, downgraded INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS batches(node TEXT NOT NULL, stream TEXT NOT NULL, sequence INTEGER NOT NULL,
            received_at INTEGER NOT NULL, samples INTEGER NOT NULL, tier INTEGER NOT NULL, downgraded_from INTEGER,
            PRIMARY KEY(node, stream, sequence)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, type INTEGER NOT NULL,
            UNIQUE(name, labels));
        CREATE TABLE IF NOT EXISTS blocks(id INTEGER PRIMARY KEY, node TEXT NOT NULL, tier INTEGER NOT NULL, min_ts INTEGER NOT NULL,
            max_ts INTEGER NOT NULL, series BLOB NOT NULL, data BLOB NOT NULL);
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

    /// Opens the database, creating the schema; `catalog` lists the series it holds.
    init(path: String) throws(SQLiteError) {
        database = try SQLiteDatabase(path: path)
        try database.useWriteAheadLog()
        try database.execute(Self.schema)
        try database.execute(Self.seriesTableSchema)
        try database.execute(Self.remoteWriteSchema)
        try addMaintenanceSchema()
        try migrateEvents()
        try addReportColumns()
        let statement = try database.statement("SELECT id, name, labels FROM series ORDER BY id")
        while try statement.step() {
            guard let labels = SeriesKey.decodeLabels(statement.string(2)) else { continue }
            ids[labels.adding("__name__", statement.string(1))] = statement.int64(0)
        }
    }

    /// Series known at open, by id.
    var catalog: [(id: Int64, labels: Labels)] { ids.map { ($0.value, $0.key) }.sorted { $0.id < $1.id } }

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

    /// Commits `batch` unless its key was stored before; returns whether it was stored and the
    /// series it added (visible to queries only once committed).
    mutating func ingest(
        _ batch: UplinkBatch,
        receivedAt time: Int64,
        exclusive: Bool = false,
        seriesIDs known: [Int64]? = nil
    ) throws(SQLiteError) -> (stored: Bool, added: [(id: Int64, labels: Labels)], seriesIDs: [Int64]?) {
        var added: [(id: Int64, labels: Labels)] = []
        var seriesIDs = known
        let stored = try database.transaction { () throws(SQLiteError) -> Bool in
            let overlapped = exclusive ? try overlapsOtherWidths(batch) : false
            if try windowStored(batch) || overlapped {
                try database.statement("UPDATE nodes SET duplicates = duplicates + 1, last_seen = ? WHERE name = ?").bind(1, time).bind(2, batch.node)
                    .run()
                return false
            }
            if seriesIDs == nil { seriesIDs = try self.seriesIDs(batch, added: &added) }
            let samples = try insertSamples(batch, ids: seriesIDs ?? [])
            try database.statement(
                "INSERT INTO batches(node, stream, sequence, received_at, samples, tier, downgraded_from) VALUES(?, ?, ?, ?, ?, ?, ?)"
            )
            .bind(1, batch.node).bind(2, batch.stream).bind(3, batch.sequence).bind(4, time).bind(5, Int64(samples))
            .bind(6, Int64(batch.tier.rawValue)).bind(7, Int64(batch.downgradedFrom?.rawValue ?? -1)).run()
            // A gap reaching over several windows comes in each of their batches: it counts once.
            var gaps: Int64 = 0
            for gap in batch.gaps {
                try database.statement("INSERT OR IGNORE INTO gaps(node, from_ts, to_ts, reason) VALUES(?, ?, ?, ?)")
                    .bind(1, batch.node).bind(2, gap.from).bind(3, gap.to).bind(4, gap.reason).run()
                gaps += Int64(database.changes)
            }
            try insertEvents(batch)
            let newest = batch.block.timestamps.max() ?? 0
            try database.statement(
                """
                UPDATE nodes SET batches = batches + 1, samples = samples + ?, gaps = gaps + ?, last_seen = ?,
                    last_sample_ts = max(last_sample_ts, ?), clock_events = clock_events + ?, downgraded = downgraded + ? WHERE name = ?
                """
            )
            .bind(1, Int64(samples)).bind(2, gaps).bind(3, time).bind(4, newest)
            .bind(5, Int64(batch.events.filter { $0.reason == "ClockJump" }.count)).bind(6, Int64(batch.downgradedFrom == nil ? 0 : 1))
            .bind(7, batch.node).run()
            return true
        }
        // Only committed series become visible (a rolled-back batch leaves no stale ids).
        for entry in added { ids[entry.labels] = entry.id }
        return (stored, added, stored ? seriesIDs : nil)
    }

    /// Whether the batch's window is stored already, whole or in parts: an uplink splits an
    /// oversized window into `<stream>/partNofM` batches, and an import sends it whole.
    private func windowStored(_ batch: UplinkBatch) throws(SQLiteError) -> Bool {
        let base = batch.stream.firstRange(of: "/part").map { String(batch.stream[..<$0.lowerBound]) } ?? batch.stream
        let seen = try database.statement(
            """
            SELECT 1 FROM batches WHERE node = ?1 AND sequence = ?4 AND
                (stream = ?2 OR stream = ?3 OR (?2 = ?3 AND stream >= ?3 || '/part' AND stream < ?3 || '/part~'))
            """
        )
        seen.bind(1, batch.node).bind(2, batch.stream).bind(3, base).bind(4, batch.sequence)
        defer { seen.reset() }
        return try seen.step()
    }

    /// Whether a batch of the node in the same family (`metrics/1m/`) with another width overlaps the
    /// batch's span; widths are read from stream names (`metrics/1m/60s`, `…/600s/part1of2`).
    private func overlapsOtherWidths(_ batch: UplinkBatch) throws(SQLiteError) -> Bool {
        guard let (family, width) = UplinkStream.parse(batch.stream) else { return false }
        let statement = try database.statement(
            "SELECT stream, sequence FROM batches WHERE node = ?1 AND stream >= ?2 AND stream < ?2 || '~' AND sequence > ?3 AND sequence < ?4"
        )
        // No uplink batch is wider than a day.
        statement.bind(1, batch.node).bind(2, family).bind(3, batch.sequence - 86_400_000).bind(4, batch.sequence + width)
        defer { statement.reset() }
        while try statement.step() {
            guard let (_, other) = UplinkStream.parse(statement.string(0)), other != width else { continue }
            if statement.int64(1) + other > batch.sequence { return true }
        }
        return false
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
    private func insertEvents(_ batch: UplinkBatch) throws(SQLiteError) {
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

    /// The hub's ids of the batch's series (new ones inserted and listed in `added`).
    private func seriesIDs(_ batch: UplinkBatch, added: inout [(id: Int64, labels: Labels)]) throws(SQLiteError) -> [Int64] {
        var seriesIDs: [Int64] = []
        var new: [Labels: Int64] = [:]
        for info in batch.series {
            let labels = info.labels.adding("node", batch.node)
            let full = labels.adding("__name__", info.name)
            if let id = ids[full] ?? new[full] {
                seriesIDs.append(id)
                continue
            }
            try database.statement("INSERT INTO series(name, labels, type) VALUES(?, ?, ?)")
                .bind(1, info.name).bind(2, SeriesKey(name: info.name, labels: labels, type: info.type).encodedLabels)
                .bind(3, Int64(info.type.code)).run()
            let id = database.lastInsertRowID
            new[full] = id
            added.append((id, full))
            seriesIDs.append(id)
        }
        return seriesIDs
    }

    /// Stores the batch's block with the hub's ids of its series (`ids`, by the block's series
    /// ids); returns the number of samples.
    private func insertSamples(_ batch: UplinkBatch, ids seriesIDs: [Int64]) throws(SQLiteError) -> Int {
        guard let first = batch.block.timestamps.min(), let last = batch.block.timestamps.max(), !batch.block.series.isEmpty else { return 0 }
        var mapping = [UInt8]()
        for entry in batch.block.series {
            guard entry.id >= 0, Int(entry.id) < seriesIDs.count else {
                throw SQLiteError(
                    code: 21 /* SQLITE_MISUSE */,
                    message: "the block names series \(entry.id) of \(seriesIDs.count)",
                    context: "ingest"
                )
            }
            Varint.append(UInt64(seriesIDs[Int(entry.id)]), to: &mapping)
        }
        var codec = BlockCodec()
        try database.statement("INSERT INTO blocks(node, tier, min_ts, max_ts, series, data) VALUES(?, ?, ?, ?, ?, ?)")
            .bind(1, batch.node).bind(2, Int64(batch.tier.rawValue)).bind(3, first).bind(4, last).bind(5, mapping)
            .bind(6, codec.encode(batch.block)).run()
        try enqueue(block: database.lastInsertRowID)
        return batch.sampleCount
    }
}
