import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres

extension PostgresHubStorage {
    /// A query's context; the batch blocks kept are forgotten when it is another database's. Of
    /// a metric named, the ids are those kept with the ones added since (``MetricIDsCache``).
    /// Of retention's marks, those past `start` (the earliest time the query reads).
    func queryContext(name: String?, from start: Int64, _ connection: PostgresConnection) throws(PostgresError) -> QueryContext {
        let now = HubClock.now()
        let known = name.flatMap { name in metricIDs.withLock { $0.entry(name, now: now) } }
        let clusters = nodeClusters.withLock { $0 }
        var context = try QueryContext(name: name, after: start, known: known, clusters: clusters, connection)
        if context.clustersDigest != clusters?.digest {
            // Each digest met gets a generation of its own (what listings learned of lists' labels
            // holds for one: ``ListLabelsMemo``).
            context.generation = nodeClusters.withLock { held in
                let generation = (held?.generation ?? 0) + 1
                held = NodeClusters(digest: context.clustersDigest, clusters: context.clusters, generation: generation)
                return generation
            }
        } else {
            context.generation = clusters?.generation ?? 0
        }
        batchBlocks.withLock { $0.serve(context.instance) }
        guard let name else { return context }
        let entry = MetricIDsCache.Entry(ids: context.ids, horizon: context.horizon, epochs: context.epochs, instance: context.instance)
        metricIDs.withLock { $0.keep(entry, for: name, now: now) }
        return context
    }

    /// What a query reads before its blocks, in one round trip: the ids of the metric it names
    /// (by the `series(name, id)` index), the clusters nodes reported (a `cluster` label for their
    /// series) and retention's marks (node → tier → the time before which the tier's samples are
    /// gone) past the query's start. Three statements had been three round trips, a tenth of a
    /// small query's time.
    struct QueryContext {
        /// The ids of the metric named, ascending.
        var ids: [Int64] = []
        var clusters: [String: String] = [:]
        /// The digest of the `nodes` rows `clusters` came from (``NodeClusters``), and its generation.
        var clustersDigest = ""
        var generation = 0
        /// Retention's marks past the start asked for: a mark at or before it changes nothing
        /// read (``BlockPoints`` reads from the later of the two), and a fleet's nodes each have
        /// one per tier (6000 rows sent with every query).
        var floors: [String: [Int: Int64]] = [:]
        /// The presence mark (``SeriesPresence/sinceKind``), when set.
        var since: Int64?
        /// The database and the server's start (``BatchBlockCache/serve(_:)``).
        var instance = ""
        /// The snapshot's oldest running transaction, and the sum of the nodes' series epochs
        /// (``MetricIDsCache``).
        var horizon: Int64 = 0
        var epochs: Int64 = 0
        /// The sum of the nodes' presence epochs (``PresenceMirror``).
        var presenceEpochs: Int64 = 0

        /// Reads it; `name` nil leaves `ids` empty (the query reads every series instead). Of a
        /// metric named, `known`'s ids with those added since its horizon while the database, the
        /// server's start and the epochs are its own, else all of them. The clusters are `known`
        /// `clusters` while the nodes' rows have their digest, else read. Retention's marks past
        /// `after`.
        init(
            name: String?,
            after: Int64 = .min,
            known: MetricIDsCache.Entry? = nil,
            clusters knownClusters: NodeClusters? = nil,
            _ connection: PostgresConnection
        ) throws(PostgresError) {
            // The ids come as one array: as rows, a fleet panel's 64,000 took longer to send than to find.
            // The instance and the epochs' sum once (a CTE named more than once is computed once).
            let same = "(SELECT epochs FROM facts) = $3 AND (SELECT instance FROM facts) = $4"
            // The clusters' digest and the marks' start are the last parameters: the fifth and
            // sixth with a name, else the first and second.
            let (digest, marksFrom) = name == nil ? ("$1", "$2") : ("$5", "$6")
            // The nodes' sums from the one row the triggers on `nodes` keep (an aggregate, so a
            // row missing reads as none of them).
            var sql = """
                WITH facts AS (
                    SELECT coalesce(max(series_epochs), 0)::int8 AS epochs, coalesce(max(presence_epochs), 0)::int8 AS presence_epochs,
                        coalesce(max(clusters), 0)::text AS clusters,
                        (SELECT oid FROM pg_database WHERE datname = current_database())::text || ' '
                            || (extract(epoch FROM pg_postmaster_start_time()) * 1000000)::int8::text AS instance
                    FROM node_facts)
                SELECT 1, 0, name, cluster, NULL::int8[] FROM nodes
                    WHERE cluster <> '' AND (SELECT clusters FROM facts) IS DISTINCT FROM \(digest)
                UNION ALL SELECT 2, mark, node, kind, NULL FROM maintenance_marks WHERE \(Self.retentionMarks(after: marksFrom))
                UNION ALL SELECT 2, mark, node, kind, NULL FROM maintenance_marks WHERE node = '' AND kind = '\(SeriesPresence.sinceKind)'
                UNION ALL SELECT 3, pg_snapshot_xmin(pg_current_snapshot())::text::int8, (SELECT instance FROM facts),
                    (SELECT clusters FROM facts), ARRAY[(SELECT epochs FROM facts), (SELECT presence_epochs FROM facts)]
                """
            var parameters: [PostgresValue] = []
            if let name {
                // Each branch runs only under its one-time condition on the facts.
                sql += """

                    UNION ALL SELECT 0, 0, '', '', coalesce(array_agg(id), '{}') FROM series
                        WHERE name = $1 AND added >= $2 AND \(same)
                    UNION ALL SELECT 4, 0, '', '', coalesce(array_agg(id ORDER BY id), '{}') FROM series
                        WHERE name = $1 AND NOT (\(same))
                    """
                parameters = [.text(name), .int(known?.horizon ?? .max), .int(known?.epochs ?? -1), .text(known?.instance ?? "")]
            }
            parameters += [.text(knownClusters?.digest ?? ""), .int(after)]
            let rows = try connection.query(sql, parameters)
            var (added, all): ([Int64], [Int64]) = ([], [])
            clusters.reserveCapacity(rows.rowCount)  // most rows are nodes' clusters: grown row by row, a fleet's were rehashed 11 times
            for row in 0..<rows.rowCount {
                switch try rows.int(row, 0) {
                case 0: added = try rows.intArray(row, 4)
                case 1: clusters[try rows.string(row, 2)] = try rows.string(row, 3)
                case 3:
                    horizon = try rows.int(row, 1)
                    instance = try rows.string(row, 2)
                    clustersDigest = try rows.string(row, 3)
                    let sums = try rows.intArray(row, 4)
                    (epochs, presenceEpochs) = (sums.first ?? 0, sums.dropFirst().first ?? 0)
                case 4: all = try rows.intArray(row, 4)
                default:
                    if try rows.string(row, 3) == SeriesPresence.sinceKind { since = try rows.int(row, 1) }
                    guard let tier = HubMaintenanceKind.retentionTier(try rows.string(row, 3)) else { continue }
                    floors[try rows.string(row, 2), default: [:]][tier.rawValue] = try rows.int(row, 1)
                }
            }
            if let knownClusters, knownClusters.digest == clustersDigest { clusters = knownClusters.clusters }
            guard name != nil else { return }
            if let known, known.epochs == epochs, known.instance == instance {
                ids = MetricIDsCache.merged(known.ids, added)
            } else {
                ids = all
            }
        }

        /// Retention's marks past `parameter`, by the `maintenance_marks(kind, mark)` index.
        static func retentionMarks(after parameter: String) -> String {
            let kinds = Tier.allCases.map { "'\(HubMaintenanceKind.retention($0))'" }.joined(separator: ", ")
            return "kind IN (\(kinds)) AND mark > \(parameter)"
        }
    }
}
