import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

extension HubDatabaseWriter {
    /// Upkeep's marks per node and kind, batch blocks compaction left for later (queued for a
    /// remote_write target then), the metric name of rewritten blocks ('' for a batch's own block,
    /// holding all its series) and the indexes upkeep and queries read blocks by.
    static let maintenanceSchema = """
        CREATE TABLE IF NOT EXISTS maintenance_marks(node TEXT NOT NULL, kind TEXT NOT NULL, mark INTEGER NOT NULL,
            PRIMARY KEY(node, kind)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS maintenance_marks_by_kind ON maintenance_marks(kind, mark);
        CREATE TABLE IF NOT EXISTS compaction_deferred(block INTEGER PRIMARY KEY, node TEXT NOT NULL, tier INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS compaction_deferred_by_node ON compaction_deferred(node, tier, block);
        CREATE INDEX IF NOT EXISTS blocks_by_node ON blocks(node, tier, max_ts);
        """

    /// Adds the `name` and `series_index` columns to a database made before them, then the
    /// schema above. `series_index` is a batch block's ``BlockCodec/seriesIndex(_:stride:)``
    /// (NULL for rewritten blocks and those stored before it). A new database has both before
    /// `data`, so that reading them never walks a block's overflow pages; an older one has them
    /// after it (SQLite appends added columns), which queries read the same, a little slower.
    func addMaintenanceSchema() throws(SQLiteError) {
        let columns = try database.columns(of: "blocks")
        if !columns.contains("name") {
            try database.execute("ALTER TABLE blocks ADD COLUMN name TEXT NOT NULL DEFAULT ''")
        }
        if !columns.contains("series_index") {
            try database.execute("ALTER TABLE blocks ADD COLUMN series_index BLOB")
        }
        try database.execute(Self.maintenanceSchema)
        try database.execute("CREATE INDEX IF NOT EXISTS blocks_by_name ON blocks(name, max_ts)")
        try database.execute("CREATE INDEX IF NOT EXISTS blocks_by_node_name ON blocks(node, tier, name, max_ts)")
    }

    /// One retention step for a node's tier, in its own transaction; the series it deleted leave
    /// the writer's ids, and the node's resolved tables go out of date.
    mutating func retain(node: String, tier: Tier, policy: RetentionPolicy, now: Int64) throws(SQLiteError) -> HubMaintenancePass.Step? {
        let step = try database.transaction { () throws(SQLiteError) in
            try HubRetention.step(node: node, tier: tier, policy: policy, now: now, in: SQLiteMaintenance(database: database, blockIDs: blockIDs))
        }
        if let pruned = step?.pruned, !pruned.isEmpty {
            ids.remove(pruned.map { SeriesDigest($0.labels) })
            seriesEpochs[node, default: 0] += 1
        }
        return step
    }

    /// One compaction step for a node's tier, in its own transaction.
    func compact(node: String, tier: Tier, now: Int64) throws(SQLiteError) -> HubMaintenancePass.Step? {
        try database.transaction { () throws(SQLiteError) in
            try HubCompaction.step(node: node, tier: tier, now: now, in: SQLiteMaintenance(database: database, blockIDs: blockIDs))
        }
    }
}

extension SQLiteDatabase {
    /// Retention's marks past `start`: node → tier → the time before which the tier's samples
    /// are gone. A mark at or before a window's start changes nothing in it, and reading only the
    /// others is an index range (a fleet's nodes each have marks: every query and listing had
    /// scanned them all).
    static let retentionMarksAfter = "SELECT node, kind, mark FROM maintenance_marks WHERE kind IN (?1, ?2, ?3) AND mark > ?4"

    func retentionMarks(after start: Int64) throws(SQLiteError) -> [String: [Int: Int64]] {
        var floors: [String: [Int: Int64]] = [:]
        let statement = try statement(Self.retentionMarksAfter)
        defer { statement.reset() }
        statement.bind(1, HubMaintenanceKind.retention(.raw)).bind(2, HubMaintenanceKind.retention(.minute))
            .bind(3, HubMaintenanceKind.retention(.hour)).bind(4, start)
        while try statement.step() {
            guard let tier = HubMaintenanceKind.retentionTier(statement.string(1)) else { continue }
            floors[statement.string(0), default: [:]][tier.rawValue] = statement.int64(2)
        }
        return floors
    }

    /// Each node's cluster, for the nodes that reported one.
    func nodeClusters() throws(SQLiteError) -> [String: String] {
        var clusters: [String: String] = [:]
        let statement = try statement("SELECT name, cluster FROM nodes WHERE cluster != ''")
        defer { statement.reset() }
        while try statement.step() { clusters[statement.string(0)] = statement.string(1) }
        return clusters
    }

    /// Every node's name.
    func nodeNames() throws(SQLiteError) -> [String] {
        var nodes: [String] = []
        let statement = try statement("SELECT name FROM nodes ORDER BY name")
        defer { statement.reset() }
        while try statement.step() { nodes.append(statement.string(0)) }
        return nodes
    }
}
