import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchPromQL

/// Reading series and events back for the query API.
extension PostgresHubStorage {
    /// The series matching every matcher with their points in `[start, end]`: the metric name
    /// narrows the series read from the database and the blocks fetched (the metric's own and the
    /// wanted nodes' batch blocks, by the name index); without one, blocks holding a wanted series
    /// (their id arrays are GIN-indexed) are fetched. Only the wanted series are decoded, and of an
    /// indexed batch block only the bytes they need are fetched (``fetchBlocks(names:every:start:end:labelsOnly:into:_:)``), in one
    /// repeatable-read transaction so that upkeep rewriting blocks meanwhile changes nothing seen.
    public func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Series] {
        try select(matchers, start: start, end: end, ordered: false)
    }

    /// With `ordered`, by label set when the wanted series come with that order (``BlockPoints/series(ordered:)``).
    public func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, ordered: Bool) throws -> [Series] {
        try query(matchers, from: start, ordered: ordered) { query, connection throws(PostgresError) in
            try query.gather(query.wanted, start: start, end: end, labelsOnly: false, self, connection).series(ordered: ordered)
        } ?? []
    }

    /// Of the blocks listed, only those reaching past the window's edges may be read
    /// (``BlockPoints/present(node:tier:from:to:selection:)``). Where the window's
    /// ``SeriesPresence`` rows cover it, they answer, and only the blocks of its edges are read
    /// for the series they leave unsure; without a metric name, only the label sets of the series
    /// their lists name are fetched.
    public func labelSets(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Labels] {
        try query(matchers, from: start, presence: start...end) { query, connection throws(PostgresError) -> [Labels] in
            if let presence = query.presence {
                let listed = try PresenceVerdict(presence, wanted: query.wanted, start: start, end: end).labelSets(query.wanted) {
                    left,
                    span throws(PostgresError) -> Set<Int64> in
                    try query.gather(left, start: span.lowerBound, end: span.upperBound, labelsOnly: true, self, connection).presentIDs
                }
                // A list that did not decode: the blocks answer instead.
                if presence.complete { return listed }
            }
            return try query.gather(query.wanted, start: start, end: end, labelsOnly: true, self, connection).labelSets()
        } ?? []
    }

    public func nodesWithBlocks(start: Int64, end: Int64) throws -> [String: Bool] {
        try pool.withConnection { connection throws(PostgresError) -> [String: Bool] in
            let rows = try connection.query(NodePresence.sql(parameter: { "$\($0)" }, greatest: "GREATEST"), [.int(start), .int(end)])
            var found: [(node: String, inside: Bool, reaching: Bool)] = []
            for row in 0..<rows.rowCount { found.append((try rows.string(row, 0), try rows.int(row, 1) != 0, try rows.int(row, 2) != 0)) }
            return NodePresence.fold(found)
        }
    }

    /// What a query of series has read before its blocks: its context, the series it wants and
    /// whether that is every stored series.
    struct WantedSeries {
        /// The metric names taken: the one a matcher names, or those a pattern of names takes.
        var names: [String]?
        var context: QueryContext
        var wanted: [Int64: Labels]
        /// `wanted`'s ids by node, when kept with them (``WantedSeriesCache``).
        var byNode: WantedByNode?
        var every: Bool
        /// The window's presence rows, for a query that asked for them and whose window they cover.
        var presence: PresenceRows?
        /// Blocks that did not decode.
        var damaged = 0

        /// The points of `series` in `[start, end]` (``PostgresHubStorage/fetchBlocks(names:every:start:end:labelsOnly:into:_:)``).
        mutating func gather(
            _ series: [Int64: Labels],
            start: Int64,
            end: Int64,
            labelsOnly: Bool,
            _ storage: PostgresHubStorage,
            _ connection: PostgresConnection
        ) throws(PostgresError) -> BlockPoints {
            let byNode = series.count == wanted.count ? self.byNode : nil
            var points = BlockPoints(wanted: series, byNode: byNode, start: start, end: end, floors: context.floors)
            let all = every && series.count == wanted.count
            damaged += try storage.fetchBlocks(names: names, every: all, start: start, end: end, labelsOnly: labelsOnly, into: &points, connection)
            return points
        }
    }

    /// `body`'s answer over the series the matchers want, in one snapshot; nil when none matches.
    /// With a `presence` window its rows are read first (``WantedSeries/presence``), and without a
    /// metric name only the series their lists name are looked at (all of them if one does not decode),
    /// and of a pattern of names only the series of the names it takes (``namesTaken(by:_:)``).
    /// `ordered`: a bare selector's, whose kept series come with their order by label set.
    /// `start`: the earliest time it reads (``QueryContext/floors``).
    private func query<Answer: Sendable>(
        _ matchers: [LabelMatcher],
        from start: Int64,
        presence window: ClosedRange<Int64>? = nil,
        ordered: Bool = false,
        _ body: @Sendable (inout WantedSeries, PostgresConnection) throws(PostgresError) -> Answer
    ) throws -> Answer? {
        let (result, damaged) = try pool.withConnection { connection throws(PostgresError) -> (Answer?, Int) in
            try connection.snapshot { connection throws(PostgresError) -> (Answer?, Int) in
                let name = matchers.metricName
                let context = try self.queryContext(name: name, from: start, connection)
                let presence = try window.flatMap { window throws(PostgresError) in
                    try self.presence(context, start: window.lowerBound, end: window.upperBound, connection)
                }
                let present = name == nil ? presence?.everyID(ofNodes: matchers.admit) : nil
                let among = presence?.complete == true ? present : nil
                let names = name == nil ? try Self.namesTaken(by: matchers, connection) : nil
                let taken = try self.taken(by: matchers, name: name, names: names, among: among, ordered: ordered, context, connection)
                let wanted = taken.wanted
                guard !wanted.isEmpty else { return (nil, 0) }
                // Every stored series, unless `known` is only the names or nodes the matchers take.
                let every = wanted.count == taken.known && names == nil && (present == nil || !matchers.contains { $0.name == "node" })
                var query = WantedSeries(
                    names: name.map { [$0] } ?? names,
                    context: context,
                    wanted: wanted,
                    byNode: taken.byNode,
                    every: every,
                    presence: presence
                )
                let answer = try body(&query, connection)
                return (answer, query.damaged)
            }
        }
        for _ in 0..<damaged { countDamaged() }
        return result
    }

    /// The series the matchers take among those stored (of `names`, or named `name`, or every
    /// series, of `among` when given). Of one metric, kept for the next query with the same
    /// matchers while its ids and the clusters stay the same (``WantedSeriesCache``).
    private func taken(
        by matchers: [LabelMatcher],
        name: String?,
        names: [String]?,
        among: Set<Int64>?,
        ordered: Bool,
        _ context: QueryContext,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> WantedSeriesCache.Taken {
        if let names {
            let known = try Self.stored(namedOneOf: names, among: among, connection)
            return WantedSeriesCache.Taken(wanted: matchers.wanted(among: known, clusters: context.clusters), known: known.count)
        }
        let kept = name != nil && among == nil
        let key = kept ? WantedSeriesCache.key(matchers, ordered: ordered) : ""
        if kept, let taken = wantedSeries.withLock({ $0.taken(key, ids: context.ids, clusters: context.clusters) }) { return taken }
        let known = try stored(named: name, ids: context.ids, among: among, connection)
        let taken = WantedSeriesCache.Taken(
            wanted: matchers.wanted(among: known, clusters: context.clusters),
            known: known.count,
            grouped: kept,
            ordered: ordered
        )
        if kept { wantedSeries.withLock { $0.keep(taken, key, ids: context.ids, clusters: context.clusters) } }
        return taken
    }

    /// Ids and label sets (with `__name__`) of the series named `name`, whose ids are `ids`; every
    /// series when no name is given (of those in `among` when given).
    private func stored(
        named name: String?,
        ids: [Int64],
        among: Set<Int64>?,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> [(id: Int64, labels: Labels)] {
        guard name == nil else { return try labels(of: ids, keep: true, connection) }
        guard let among else { return try Self.decodeSeries(try connection.query("SELECT id, name, labels FROM series")) }
        return try labels(of: among.sorted(), keep: false, connection)
    }

    /// The label sets (with `__name__`) of `ids`: those read lately from the cache, the others in
    /// one statement, kept when `keep` (``RecentEntries/seriesAge``): a series' labels never change
    /// and its id is never reused, so a fleet panel does not parse its thousands of label sets
    /// again at every refresh; a label listing reads a fleet's worth once.
    func labels(of ids: [Int64], keep: Bool, _ connection: PostgresConnection) throws(PostgresError) -> [(id: Int64, labels: Labels)] {
        let now = HubClock.now()
        let (found, missing) = seriesLabels.withLock { $0.values(for: ids, now: now) }
        guard !missing.isEmpty else { return found.map { ($0.key, $0.value) } }
        let read = try Self.decodeSeries(try connection.query("SELECT id, name, labels FROM series WHERE id = ANY($1)", [.intArray(missing)]))
        if keep {
            seriesLabels.withLock { known in
                known.insert(Dictionary(read.map { ($0.id, $0.labels) }) { first, _ in first }, now: now)
            }
        }
        return found.map { ($0.key, $0.value) } + read
    }

    /// Rows of `(id, name, labels)` as ids and label sets with `__name__` (a row whose labels do
    /// not parse is left out).
    static func decodeSeries(_ rows: PostgresResult) throws(PostgresError) -> [(id: Int64, labels: Labels)] {
        var series: [(id: Int64, labels: Labels)] = []
        series.reserveCapacity(rows.rowCount)
        for row in 0..<rows.rowCount {
            guard let labels = SeriesKey.decodeLabels(try rows.string(row, 2), name: try rows.string(row, 1)) else { continue }
            series.append((try rows.int(row, 0), labels))
        }
        return series
    }

    public func events(matching filter: HubEventFilter, limit: Int) throws -> [EventRecord] {
        var sql = """
            SELECT node, uid, count, ts, first_ts, recorded_ts, source, type, reason, kind, namespace, name, message, delta
            FROM events WHERE ts >= $1 AND ts <= $2
            """
        var parameters: [PostgresValue] = [.int(filter.since), .int(filter.until)]
        for (column, value) in [("node", filter.node), ("reason", filter.reason), ("type", filter.type)] {
            guard let value else { continue }
            parameters.append(.text(value))
            sql += " AND \(column) = $\(parameters.count)"
        }
        parameters.append(.int(Int64(limit)))
        sql += " ORDER BY ts, node, uid, count LIMIT $\(parameters.count)"
        let (statement, values) = (sql, parameters)
        return try pool.withConnection { connection throws(PostgresError) -> [EventRecord] in
            let rows = try connection.query(statement, values)
            var result: [EventRecord] = []
            for row in 0..<rows.rowCount {
                result.append(
                    EventRecord(
                        time: try rows.int(row, 3),
                        firstSeen: try rows.int(row, 4),
                        source: EventRecord.Source(rawValue: try rows.string(row, 6)) ?? .node,
                        type: try rows.string(row, 7),
                        reason: try rows.string(row, 8),
                        object: EventRecord.InvolvedObject(
                            kind: try rows.string(row, 9),
                            namespace: try rows.string(row, 10),
                            name: try rows.string(row, 11)
                        ),
                        message: try rows.string(row, 12),
                        count: try rows.int(row, 2),
                        delta: try rows.int(row, 13),
                        uid: try rows.string(row, 1),
                        node: try rows.string(row, 0),
                        recorded: try rows.int(row, 5)
                    )
                )
            }
            return result
        }
    }
}
