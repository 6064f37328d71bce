import EdgewatchCore
import EdgewatchPostgres
import EdgewatchWire
import Synchronization

/// The fleet backend: one PostgreSQL database shared by any number of hub replicas. Every batch
/// is committed in one transaction before the hub answers 2xx; `(node, stream, sequence)` is a
/// primary key and a node's batches take a transaction-level advisory lock on the node, so two
/// replicas given the same batch at once store it once (the second sees the first's commit and
/// answers it as a duplicate). Series ids come from the database, so every replica agrees on
/// them; blocks carry their series ids in an indexed array, so a query reads only the blocks
/// holding the series it wants. Calls block: the routes run them on NIO's blocking-I/O pool.
public final class PostgresHubStorage: HubStorage {
    let pool: PostgresPool
    let conninfo: String
    /// remote_write targets this replica sends for, or asked to (their advisory locks).
    let leases = Mutex<[String: PostgresAdvisoryLease]>([:])
    /// Series ids committed to the database, by the digest of their labels (with `__name__` and
    /// `node`), for the series batches named lately (``RecentEntries/seriesAge``); the others are
    /// looked up by key when they come back. Each with its node's series epoch then: taken only
    /// while the node's is the same (retention deletes series on any replica, ``PrunedSeries``).
    let knownIDs = Mutex(
        RecentEntries<SeriesDigest, (id: Int64, epoch: Int64)>(age: RecentEntries<SeriesDigest, (id: Int64, epoch: Int64)>.seriesAge)
    )
    /// Label sets (with `__name__`) of the series queries have read lately, by id (up to
    /// ``RecentEntries/queryLabelsCapacity`` a generation).
    let seriesLabels = Mutex(
        RecentEntries<Int64, Labels>(age: RecentEntries<Int64, Labels>.seriesAge, capacity: RecentEntries<Int64, Labels>.queryLabelsCapacity)
    )
    /// Per node, the series table its last stored batch named, mapped to series ids.
    let resolvedTables = ResolvedSeriesTables()
    /// Label names and values of the presence lists label listings read lately.
    let listLabels = ListLabelsCache()
    /// The presence rows of the hours listings read lately.
    let presenceMirror = PresenceMirror()
    /// The series the matchers of recent queries of one metric took (``WantedSeriesCache``).
    let wantedSeries = Mutex(WantedSeriesCache())
    /// The ids of the metrics queries named lately (``MetricIDsCache``).
    let metricIDs = Mutex(MetricIDsCache())
    /// The batch blocks queries read lately: their listings and decoded series (``BatchBlockCache``).
    let batchBlocks = Mutex(BatchBlockCache())
    /// The nodes' clusters as the last query read them (``NodeClusters``).
    let nodeClusters = Mutex<NodeClusters?>(nil)
    private let damaged = Mutex<Int64>(0)
    /// The schema version a newer edgewatch applied, as the last write here read it; nil while
    /// the database's is this hub's (``writesRefused``).
    let newerSchema = Mutex<Int64?>(nil)
    /// The schema version this hub knows: how many migrations it has.
    let schemaVersion: Int64

    public var undecodableBlocks: Int64 { damaged.withLock { $0 } }

    public var cachedBatchBlocks: (listings: Int, series: Int, nodes: Int) { batchBlocks.withLock { $0.count } }

    public var cachedSeries: (ingest: Int, query: Int) {
        (knownIDs.withLock { $0.count }, seriesLabels.withLock { $0.count })
    }

    /// Connects (`conninfo`: a `postgres://` URI or libpq keywords) with `poolSize` connections
    /// and applies the schema migrations the database lacks.
    public convenience init(conninfo: String, poolSize: Int) throws(PostgresError) {
        try self.init(conninfo: conninfo, poolSize: poolSize, migrations: PostgresHubSchema.all)
    }

    /// With the schema given as its migrations (tests stand for a newer hub with one more).
    init(conninfo: String, poolSize: Int, migrations: [String]) throws(PostgresError) {
        pool = try PostgresPool(conninfo: conninfo, size: poolSize)
        self.conninfo = conninfo
        schemaVersion = Int64(migrations.count)
        try PostgresHubSchema.migrate(pool, migrations: migrations)
    }

    /// The join token every replica shares: `candidate` when this call stored the first one
    /// (`created`), else the one stored before.
    public func sharedJoinToken(candidate: String) throws(PostgresError) -> (token: String, created: Bool) {
        try pool.withConnection { connection throws(PostgresError) -> (token: String, created: Bool) in
            let inserted = try connection.execute(
                "INSERT INTO settings(key, value) VALUES ('join_token', $1) ON CONFLICT (key) DO NOTHING",
                [.text(candidate)]
            )
            let token = try connection.query("SELECT value FROM settings WHERE key = 'join_token'").string(0, 0)
            return (token, inserted == 1)
        }
    }

    func countDamaged() { damaged.withLock { $0 += 1 } }

    public func nodeSecretHash(_ node: String) throws -> String? {
        try pool.withConnection { connection throws(PostgresError) -> String? in
            let result = try connection.query("SELECT secret_hash FROM nodes WHERE name = $1", [.text(node)])
            return result.rowCount == 0 ? nil : try result.string(0, 0)
        }
    }

    public func registerNode(_ node: String, secretHash: String, at time: Int64) throws {
        try pool.withConnection { connection throws(PostgresError) in
            try connection.execute(
                "INSERT INTO nodes(name, secret_hash, first_seen, last_seen) VALUES ($1, $2, $3, $3) ON CONFLICT (name) DO NOTHING",
                [.text(node), .text(secretHash), .int(time)]
            )
        }
    }

    public func nodes() throws -> [NodeStatus] {
        try pool.withConnection { connection throws(PostgresError) -> [NodeStatus] in
            let rows = try connection.query(
                """
                SELECT name, first_seen, last_seen, last_sample_ts, batches, duplicates, samples, gaps, clock_events, downgraded,
                    cluster, backlog, dead_letters, slot_ms
                FROM nodes ORDER BY name
                """
            )
            var result: [NodeStatus] = []
            for row in 0..<rows.rowCount {
                result.append(
                    NodeStatus(
                        name: try rows.string(row, 0),
                        firstSeen: try rows.int(row, 1),
                        lastSeen: try rows.int(row, 2),
                        lastSampleTimestamp: try rows.int(row, 3),
                        batches: try rows.int(row, 4),
                        duplicates: try rows.int(row, 5),
                        samples: try rows.int(row, 6),
                        gaps: try rows.int(row, 7),
                        clockEvents: try rows.int(row, 8),
                        downgradedBatches: try rows.int(row, 9),
                        report: NodeReport(
                            cluster: try rows.string(row, 10),
                            backlogWindows: try rows.int(row, 11),
                            deadLetters: try rows.int(row, 12),
                            slotMilliseconds: try rows.int(row, 13)
                        )
                    )
                )
            }
            return result
        }
    }

    public func report(_ report: NodeReport, node: String) throws {
        try pool.withConnection { connection throws(PostgresError) in
            try connection.execute(
                "UPDATE nodes SET cluster = $1, backlog = $2, dead_letters = $3, slot_ms = $4 WHERE name = $5",
                [.text(report.cluster), .int(report.backlogWindows), .int(report.deadLetters), .int(report.slotMilliseconds), .text(node)]
            )
        }
    }

    public func seriesTable(node: String, hash: [UInt8]) throws -> [UInt8]? {
        let stored = try pool.withConnection { connection throws(PostgresError) -> [UInt8]? in
            let result = try connection.query("SELECT data FROM series_tables WHERE node = $1 AND hash = $2", [.text(node), .bytes(hash)])
            return result.rowCount == 0 ? nil : try result.bytes(0, 0)
        }
        return stored.flatMap { try? Zlib.decompress($0, limit: 64 << 20) }
    }

    public func keepSeriesTable(node: String, hash: [UInt8], table: [UInt8], at time: Int64) throws {
        let compressed = Zlib.compress(table)
        try pool.withConnection { connection throws(PostgresError) in
            try connection.transaction { connection throws(PostgresError) in
                try fenceWrites(connection)
                try connection.execute(
                    """
                    INSERT INTO series_tables(node, hash, data, stored_at) VALUES ($1, $2, $3, $4)
                    ON CONFLICT (node, hash) DO UPDATE SET data = excluded.data, stored_at = excluded.stored_at
                    """,
                    [.text(node), .bytes(hash), .bytes(compressed), .int(time)]
                )
                try connection.execute(
                    """
                    DELETE FROM series_tables WHERE node = $1 AND hash NOT IN
                        (SELECT hash FROM series_tables WHERE node = $1 ORDER BY stored_at DESC, hash LIMIT $2)
                    """,
                    [.text(node), .int(Int64(HubDatabaseWriter.seriesTablesPerNode))]
                )
            }
        }
    }
}
