import EdgewatchCore
import EdgewatchPostgres

extension PostgresHubStorage {
    /// A query's context; the batch blocks kept are forgotten when it is another database's.
    func queryContext(name: String?, _ connection: PostgresConnection) throws(PostgresError) -> QueryContext {
        let context = try QueryContext(name: name, connection)
        batchBlocks.withLock { $0.serve(context.instance) }
        return context
    }

    /// What a query reads before its blocks, in one round trip: the ids of the metric it names
    /// (by the `series(name, id)` index), the clusters nodes reported (a `cluster` label for their
    /// series) and retention's marks (node → tier → the time before which the tier's samples are
    /// gone). Three statements had been three round trips, a tenth of a small query's time.
    struct QueryContext {
        var ids: [Int64] = []
        var clusters: [String: String] = [:]
        var floors: [String: [Int: Int64]] = [:]
        /// The presence mark (``SeriesPresence/sinceKind``), when set.
        var since: Int64?
        /// The database and the server's start (``BatchBlockCache/serve(_:)``).
        var instance = ""

        /// Reads it; `name` nil leaves `ids` empty (the query reads every series instead).
        init(name: String?, _ connection: PostgresConnection) throws(PostgresError) {
            // The ids come as one array: as rows, a fleet panel's 64,000 took longer to send than to find.
            var sql = """
                SELECT 1, 0, name, cluster, NULL::int8[] FROM nodes WHERE cluster <> ''
                UNION ALL SELECT 2, mark, node, kind, NULL FROM maintenance_marks
                    WHERE kind LIKE 'retention/%' OR (node = '' AND kind = '\(SeriesPresence.sinceKind)')
                UNION ALL SELECT 3, (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::int8,
                    (SELECT oid FROM pg_database WHERE datname = current_database())::text, '', NULL
                """
            var parameters: [PostgresValue] = []
            if let name {
                sql += " UNION ALL SELECT 0, 0, '', '', coalesce(array_agg(id), '{}') FROM series WHERE name = $1"
                parameters.append(.text(name))
            }
            let rows = try connection.query(sql, parameters)
            for row in 0..<rows.rowCount {
                switch try rows.int(row, 0) {
                case 0: ids = try rows.intArray(row, 4)
                case 1: clusters[try rows.string(row, 2)] = try rows.string(row, 3)
                case 3: instance = "\(try rows.string(row, 2)) \(try rows.int(row, 1))"
                default:
                    if try rows.string(row, 3) == SeriesPresence.sinceKind { since = try rows.int(row, 1) }
                    guard let tier = HubMaintenanceKind.retentionTier(try rows.string(row, 3)) else { continue }
                    floors[try rows.string(row, 2), default: [:]][tier.rawValue] = try rows.int(row, 1)
                }
            }
        }
    }
}
