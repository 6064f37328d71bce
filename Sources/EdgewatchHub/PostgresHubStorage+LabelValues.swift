import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres

extension PostgresHubStorage {
    public func labelValuesFromSummary(_ label: String?, start: Int64, end: Int64) throws -> [String]? {
        let (values, damaged) = try pool.withConnection { connection throws(PostgresError) -> ([String]?, Int) in
            try connection.snapshot { connection throws(PostgresError) -> ([String]?, Int) in
                let context = try QueryContext(name: nil, connection)
                guard let presence = try Self.presence(since: context.since, floors: context.floors, start: start, end: end, connection) else {
                    return (nil, 0)
                }
                var damaged = 0
                let summary = SummaryLabelValues<PostgresError>(
                    listLabels: { list, node throws(PostgresError) in
                        try self.listLabels.labels(presence, list, cluster: context.clusters[node] ?? "") { ids throws(PostgresError) in
                            try self.labelSets(of: ids, clusters: context.clusters, connection)
                        }
                    },
                    labelSets: { ids throws(PostgresError) in try self.labelSets(of: ids, clusters: context.clusters, connection) },
                    check: { left, span throws(PostgresError) in
                        var points = BlockPoints(wanted: left, start: span.lowerBound, end: span.upperBound, floors: context.floors)
                        damaged += try self.fetchBlocks(
                            name: nil,
                            every: false,
                            start: span.lowerBound,
                            end: span.upperBound,
                            labelsOnly: true,
                            into: &points,
                            connection
                        )
                        return points.presentIDs
                    }
                )
                let values = try summary.values(of: label, presence, start: start, end: end)
                // A list that did not decode: the caller reads every label set instead.
                return (presence.complete ? Array(values) : nil, damaged)
            }
        }
        for _ in 0..<damaged { countDamaged() }
        return values
    }

    /// The label sets (with `__name__` and the node's cluster) of `ids`: those read lately from
    /// the cache, the others in one statement (and not kept: a label listing reads a fleet's worth).
    func labelSets(of ids: [Int64], clusters: [String: String], _ connection: PostgresConnection) throws(PostgresError) -> [Int64: Labels] {
        let (found, missing) = seriesLabels.withLock { $0.values(for: ids, now: HubClock.now()) }
        var result: [Int64: Labels] = [:]
        for (id, labels) in found { result[id] = labels.addingCluster(clusters) }
        guard !missing.isEmpty else { return result }
        let rows = try connection.query("SELECT id, name, labels FROM series WHERE id = ANY($1)", [.intArray(missing)])
        for row in 0..<rows.rowCount {
            guard let labels = SeriesKey.decodeLabels(try rows.string(row, 2), name: try rows.string(row, 1)) else { continue }
            result[try rows.int(row, 0)] = labels.addingCluster(clusters)
        }
        return result
    }
}
