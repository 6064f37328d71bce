import EdgewatchCore
import EdgewatchPostgres

extension PostgresHubStorage {
    /// A query's context; the batch blocks kept are forgotten when it is another database's. Of
    /// a metric named, the ids are those kept with the ones added since (``MetricIDsCache``).
    func queryContext(name: String?, _ connection: PostgresConnection) throws(PostgresError) -> QueryContext {
        let now = HubClock.now()
        let known = name.flatMap { name in metricIDs.withLock { $0.entry(name, now: now) } }
        var context = try QueryContext(name: name, known: known, connection)
        batchBlocks.withLock { $0.serve(context.instance) }
        guard let name else { return context }
        if let known, known.instance == context.instance, known.epochs == context.epochs {
            context.ids = MetricIDsCache.merged(known.ids, context.added)
        } else if let all = context.all {
            context.ids = all
        } else {
            // Another database or server start with the same epochs: rare, one more round trip.
            let rows = try connection.query("SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM series WHERE name = $1", [.text(name)])
            context.ids = try rows.intArray(0, 0)
        }
        let entry = MetricIDsCache.Entry(ids: context.ids, horizon: context.horizon, epochs: context.epochs, instance: context.instance)
        metricIDs.withLock { $0.keep(entry, for: name, now: now) }
        return context
    }

    /// What a query reads before its blocks, in one round trip: the ids of the metric it names
    /// (by the `series(name, id)` index), the clusters nodes reported (a `cluster` label for their
    /// series) and retention's marks (node → tier → the time before which the tier's samples are
    /// gone). Three statements had been three round trips, a tenth of a small query's time.
    struct QueryContext {
        /// The ids of the metric named, ascending.
        var ids: [Int64] = []
        var clusters: [String: String] = [:]
        var floors: [String: [Int: Int64]] = [:]
        /// The presence mark (``SeriesPresence/sinceKind``), when set.
        var since: Int64?
        /// The database and the server's start (``BatchBlockCache/serve(_:)``).
        var instance = ""
        /// The snapshot's oldest running transaction, and the sum of the nodes' series epochs
        /// (``MetricIDsCache``).
        var horizon: Int64 = 0
        var epochs: Int64 = 0
        /// The ids of the metric's series added from the known entry's horizon on, while the
        /// epochs are its own.
        var added: [Int64] = []
        /// All the metric's ids, read when the epochs are not the known entry's (or none is known).
        var all: [Int64]?

        /// Reads it; `name` nil leaves `ids` empty (the query reads every series instead). Of a
        /// metric named, reads the ids added since `known`'s horizon, or all of them when the
        /// epochs moved or nothing is known; ``PostgresHubStorage/queryContext(name:_:)`` sets `ids`.
        init(name: String?, known: MetricIDsCache.Entry? = nil, _ connection: PostgresConnection) throws(PostgresError) {
            // The ids come as one array: as rows, a fleet panel's 64,000 took longer to send than to find.
            // The epochs' sum once (a CTE named more than once is computed once).
            let epochSum = "(SELECT sum FROM epochs)"
            var sql = """
                WITH epochs AS (SELECT coalesce(sum(series_epoch), 0)::int8 AS sum FROM nodes)
                SELECT 1, 0, name, cluster, NULL::int8[] FROM nodes WHERE cluster <> ''
                UNION ALL SELECT 2, mark, node, kind, NULL FROM maintenance_marks
                    WHERE kind LIKE 'retention/%' OR (node = '' AND kind = '\(SeriesPresence.sinceKind)')
                UNION ALL SELECT 3, (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::int8,
                    (SELECT oid FROM pg_database WHERE datname = current_database())::text, '', NULL
                UNION ALL SELECT 5, pg_snapshot_xmin(pg_current_snapshot())::text::int8, '', '', ARRAY[\(epochSum)]
                """
            var parameters: [PostgresValue] = []
            let knownEpochs = known?.epochs ?? -1
            if let name {
                // Each branch runs only under its one-time condition on the epochs.
                sql += """

                    UNION ALL SELECT 0, 0, '', '', coalesce(array_agg(id), '{}') FROM series
                        WHERE name = $1 AND added >= $2 AND \(epochSum) = $3
                    UNION ALL SELECT 4, 0, '', '', coalesce(array_agg(id ORDER BY id), '{}') FROM series
                        WHERE name = $1 AND \(epochSum) <> $3
                    """
                parameters = [.text(name), .int(known?.horizon ?? .max), .int(knownEpochs)]
            }
            let rows = try connection.query(sql, parameters)
            var full: [Int64] = []
            for row in 0..<rows.rowCount {
                switch try rows.int(row, 0) {
                case 0: added = try rows.intArray(row, 4)
                case 1: clusters[try rows.string(row, 2)] = try rows.string(row, 3)
                case 3: instance = "\(try rows.string(row, 2)) \(try rows.int(row, 1))"
                case 4: full = try rows.intArray(row, 4)
                case 5:
                    horizon = try rows.int(row, 1)
                    epochs = try rows.intArray(row, 4).first ?? 0
                default:
                    if try rows.string(row, 3) == SeriesPresence.sinceKind { since = try rows.int(row, 1) }
                    guard let tier = HubMaintenanceKind.retentionTier(try rows.string(row, 3)) else { continue }
                    floors[try rows.string(row, 2), default: [:]][tier.rawValue] = try rows.int(row, 1)
                }
            }
            if name != nil, epochs != knownEpochs { all = full }
        }
    }
}
