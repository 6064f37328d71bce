import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres

extension PostgresHubStorage {
    public func labelValuesFromSummary(_ label: String?, start: Int64, end: Int64) throws -> [String]? {
        let (values, damaged) = try pool.withConnection { connection throws(PostgresError) -> ([String]?, Int) in
            try connection.snapshot { connection throws(PostgresError) -> ([String]?, Int) in
                let context = try self.queryContext(name: nil, from: start, connection)
                guard let (window, loader) = try self.presenceWindow(context, start: start, end: end, connection) else { return (nil, 0) }
                // A fleet reporting as it should: answered from what earlier listings learned.
                if let known = window.knownValues(of: label, start: start, end: end) { return (known, 0) }
                let presence = PresenceRows(window, loader: loader)
                defer {
                    self.presenceMirror.learn(
                        presence.learned,
                        contents: presence.learnedContents,
                        generation: context.generation,
                        numbering: presence.numbering
                    )
                }
                var damaged = 0
                let summary = SummaryLabelValues<PostgresError>(
                    listLabels: { list throws(PostgresError) in
                        try self.listLabels.labels(presence, list, cluster: context.clusters[presence.listNode(list)] ?? "") {
                            ids throws(PostgresError) in
                            try self.labelSets(of: ids, clusters: context.clusters, connection)
                        }
                    },
                    knownContent: { list in self.listLabels.content(presence, list, cluster: context.clusters[presence.listNode(list)] ?? "") },
                    labelSets: { ids throws(PostgresError) in try self.labelSets(of: ids, clusters: context.clusters, connection) },
                    check: { left, span throws(PostgresError) in
                        var points = BlockPoints(wanted: left, start: span.lowerBound, end: span.upperBound, floors: context.floors)
                        damaged += try self.fetchBlocks(
                            names: SummaryLabelValues<PostgresError>.commonName(left).map { [$0] },
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
                return (presence.complete ? values : nil, damaged)
            }
        }
        for _ in 0..<damaged { countDamaged() }
        return values
    }

    /// The label sets (with `__name__` and the node's cluster) of `ids`, not kept (``labels(of:keep:_:)``).
    func labelSets(of ids: [Int64], clusters: [String: String], _ connection: PostgresConnection) throws(PostgresError) -> [Int64: Labels] {
        var result: [Int64: Labels] = [:]
        for (id, labels) in try labels(of: ids, keep: false, connection) { result[id] = labels.addingCluster(clusters) }
        return result
    }
}
