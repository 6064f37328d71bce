import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL
import EdgewatchSQLite

/// Reading series back for the query API: the blocks of a query's window, of its metric's name
/// when it has one, decoded in place and in part.
extension SQLiteHubStorage {
    /// Up to this many nodes, a query naming its metric reads each node's blocks by index rather
    /// than every node's blocks of the period.
    static let nodesReadOneByOne = 16
    /// A block row as queries read it: `data` only for a block without a series index (read in place
    /// then); an indexed batch block is read in part through ``SQLiteBlockReads``.
    static let blockColumns = columns(data: true)
    /// The same without any data, for a listing of label sets (which reads the few blocks it must
    /// by row, with ``blockColumns``).
    static func columns(data: Bool) -> String {
        "id, node, tier, series, \(data ? "CASE WHEN series_index IS NULL THEN data END" : "NULL"), series_index, min_ts, max_ts"
    }
    /// A node's blocks of a window, of one metric (`named`: its own and the batches') or all;
    /// every tier listed, so that the whole (node, tier, name, max_ts) or (node, tier, max_ts)
    /// index serves the query.
    static func nodeBlocksQuery(data: Bool, named: Bool = true) -> String {
        """
        SELECT \(columns(data: data)) FROM blocks
        WHERE node = ? AND tier IN (\(Tier.listed))\(named ? " AND name IN (?, '')" : "") AND max_ts BETWEEN ? AND ? AND min_ts <= ?
        """
    }

    public func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Series] {
        try select(matchers, start: start, end: end, ordered: false)
    }

    /// With `ordered`, by label set when the wanted series come with that order (``BlockPoints/series(ordered:)``).
    public func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, ordered: Bool) throws -> [Series] {
        guard let (wanted, byNode, name) = try wanted(matchers, ordered: ordered) else { return [] }
        return try reader.withLock { reader throws(SQLiteError) -> [Series] in
            try reader.snapshot { () throws(SQLiteError) -> [Series] in
                try gather(wanted, byNode: byNode, name: name, start: start, end: end, labelsOnly: false, reader).series(ordered: ordered)
            }
        }
    }

    /// Without decoding the blocks wholly inside the window (``BlockPoints/present(node:tier:from:to:selection:)``):
    /// Grafana's metric and label browsers ask this over hours of a fleet. Where the window's
    /// ``SeriesPresence`` rows cover it, they answer, and only the blocks of its edges are read for
    /// the series they leave unsure; without a metric name, only the label sets of the series
    /// their lists name are read (a fleet whose pods churn holds many more).
    public func labelSets(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Labels] {
        let name = matchers.metricName
        // One snapshot: a listing's rows, slices and edges see the same blocks, whatever upkeep rewrites meanwhile.
        return try reader.withLock { reader throws(SQLiteError) -> [Labels] in
            try presenceMirror.refresh(reader)
            return try reader.snapshot { () throws(SQLiteError) -> [Labels] in
                let clusters = try clusters(reader)
                if let presence = try presence(start: start, end: end, reader) {
                    // Without a name, the series the lists name (``PresenceRows/complete`` tells whether they all decoded).
                    let known = try stored(
                        named: name,
                        among: name == nil ? presence.everyID(ofNodes: matchers.admit) : nil,
                        matching: matchers,
                        reader
                    )
                    let wanted = matchers.wanted(among: known, clusters: clusters)
                    let listed =
                        wanted.isEmpty
                        ? []
                        : try PresenceVerdict(presence, wanted: wanted, start: start, end: end).labelSets(wanted) {
                            left,
                            span throws(SQLiteError) -> Set<Int64> in
                            try gather(left, name: name, start: span.lowerBound, end: span.upperBound, labelsOnly: true, reader).presentIDs
                        }
                    // A list that did not decode: the blocks answer instead.
                    if presence.complete { return listed }
                }
                let wanted = matchers.wanted(among: try stored(named: name, matching: matchers, reader), clusters: clusters)
                guard !wanted.isEmpty else { return [] }
                return try gather(wanted, name: name, start: start, end: end, labelsOnly: true, reader).labelSets()
            }
        }
    }

    public func nodesWithBlocks(start: Int64, end: Int64) throws -> [String: Bool] {
        try reader.withLock { reader throws(SQLiteError) -> [String: Bool] in
            let statement = try reader.statement(NodePresence.sql(parameter: { "?\($0)" }, greatest: "max"))
            defer { statement.reset() }
            statement.bind(1, start).bind(2, end)
            var rows: [(node: String, inside: Bool, reaching: Bool)] = []
            while try statement.step() { rows.append((statement.string(0), statement.int64(1) != 0, statement.int64(2) != 0)) }
            return NodePresence.fold(rows)
        }
    }

    /// The series the matchers want (by id; by node when kept) and the metric's name when they give
    /// one; nil when none.
    /// Of one metric, kept for the next query with the same matchers while its ids and the clusters
    /// stay the same (``WantedSeriesCache``), once every id's labels were read (the ids by name are
    /// the writer's, which may be ahead of what the reader sees); `ordered`: a bare selector's, its
    /// kept series with their order by label set.
    private func wanted(_ matchers: [LabelMatcher], ordered: Bool = false) throws -> (wanted: [Int64: Labels], byNode: WantedByNode?, name: String?)?
    {
        let name = matchers.metricName
        let (wanted, byNode) = try reader.withLock { reader throws(SQLiteError) -> ([Int64: Labels], WantedByNode?) in
            let clusters = try clusters(reader)
            guard let name else { return (matchers.wanted(among: try stored(named: nil, matching: matchers, reader), clusters: clusters), nil) }
            let ids = namedIDs.withLock { $0.ids(named: name) }
            let key = WantedSeriesCache.key(matchers, ordered: ordered)
            if let taken = wantedSeries.withLock({ $0.taken(key, ids: ids, clusters: clusters) }) { return (taken.wanted, taken.byNode) }
            let known = try labels(of: ids, keep: true, reader)
            let kept = known.count == ids.count
            let taken = WantedSeriesCache.Taken(
                wanted: matchers.wanted(among: known, clusters: clusters),
                known: known.count,
                grouped: kept,
                ordered: ordered
            )
            if kept { wantedSeries.withLock { $0.keep(taken, key, ids: ids, clusters: clusters) } }
            return (taken.wanted, taken.byNode)
        }
        return wanted.isEmpty ? nil : (wanted, byNode, name)
    }

    /// The wanted series' points gathered from the blocks of the window, inside the caller's
    /// snapshot; with `labelsOnly`, only the blocks that tell whether a series has a point there
    /// are decoded, newest first, until every wanted series is known.
    func gather(
        _ wanted: [Int64: Labels],
        byNode: WantedByNode? = nil,
        name: String?,
        start: Int64,
        end: Int64,
        labelsOnly: Bool,
        _ reader: SQLiteDatabase
    ) throws(SQLiteError) -> BlockPoints {
        let nodes = Set(wanted.values.compactMap { $0["node"] })
        var points = BlockPoints(wanted: wanted, byNode: byNode, start: start, end: end, floors: try reader.retentionMarks(after: start))
        var scan = SQLiteBlockScan(
            nodes: nodes,
            labelsOnly: labelsOnly,
            reads: SQLiteBlockReads(reader),
            kept: blockPoints,
            memo: byNode?.memo,
            now: HubClock.now()
        )
        if labelsOnly {
            for slice in ListingSlices(start: start, end: end) where !points.knowsEveryWanted {
                try Self.listBlocks(name: name, nodes: nodes, ends: slice, end: end, data: false, reader) { statement throws(SQLiteError) in
                    try scan.step(statement, into: &points)
                }
            }
        } else if let name, nodes.count > Self.nodesReadOneByOne, scan.remembersAny {
            // A kept query's fleet, read before: its blocks listed by the (name, max_ts) index
            // alone, and only the rows of those not remembered read (``SQLiteBlockScan/step(ids:byRow:end:into:)``).
            let ids = try reader.statement("SELECT id FROM blocks WHERE name IN (?, '') AND max_ts BETWEEN ? AND ?")
            let byRow = try reader.statement("SELECT \(Self.blockColumns) FROM blocks WHERE id = ? AND min_ts <= ?")
            try scan.step(ids: ids.bind(1, name).bind(2, start).bind(3, Int64.max), byRow: byRow, end: end, into: &points)
        } else {
            try Self.listBlocks(name: name, nodes: nodes, ends: start...Int64.max, end: end, data: true, reader) {
                statement throws(SQLiteError) in
                try scan.step(statement, into: &points)
            }
        }
        try scan.readEdges(into: &points, reader)
        scan.keep()
        if scan.damaged > 0 { damaged.withLock { $0 += Int64(scan.damaged) } }
        return points
    }

    /// Steps `read` through the blocks of `[start, end]` that end in `ends`: of the wanted `nodes`
    /// one by one when a few, else of every node; by the metric's name when the query gives one;
    /// `data`: with the data of blocks without a series index.
    private static func listBlocks(
        name: String?,
        nodes: Set<String>,
        ends: ClosedRange<Int64>,
        end: Int64,
        data: Bool,
        _ reader: SQLiteDatabase,
        _ read: (SQLiteStatement) throws(SQLiteError) -> Void
    ) throws(SQLiteError) {
        if nodes.count <= Self.nodesReadOneByOne {
            // A few nodes (a node's panel, a label listing's check of a node's carriers): their
            // own blocks through the (node, tier, name) or (node, tier) index.
            let statement = try reader.statement(Self.nodeBlocksQuery(data: data, named: name != nil))
            let first: Int32 = name == nil ? 2 : 3
            for node in nodes.sorted() {
                statement.reset()
                statement.bind(1, node)
                if let name { statement.bind(2, name) }
                try read(statement.bind(first, ends.lowerBound).bind(first + 1, ends.upperBound).bind(first + 2, end))
            }
        } else if let name {
            // The metric's own blocks (compacted) and the batches' (all series) only.
            try read(
                try reader.statement(
                    "SELECT \(Self.columns(data: data)) FROM blocks WHERE name IN (?, '') AND max_ts BETWEEN ? AND ? AND min_ts <= ?"
                )
                .bind(1, name).bind(2, ends.lowerBound).bind(3, ends.upperBound).bind(4, end)
            )
        } else {
            try read(
                try reader.statement("SELECT \(Self.columns(data: data)) FROM blocks WHERE max_ts BETWEEN ? AND ? AND min_ts <= ?")
                    .bind(1, ends.lowerBound).bind(2, ends.upperBound).bind(3, end)
            )
        }
    }

    /// The wanted series of the block at `statement`'s row (``blockColumns``), decoded; nil when
    /// it does not decode. An indexed block is read in part, and whole only when that fails.
    static func decode(_ statement: SQLiteStatement, selection: BlockSelection, _ reads: SQLiteBlockReads) -> Block? {
        guard !statement.isNull(5) else {
            return statement.withBlob(4) { try? BlockCodec.decode($0, keeping: selection.wanted) }
        }
        let row = statement.int64(0)
        var block: Block?
        let partial = statement.withBlob(5) { index in
            reads.partial(row: row, positions: selection.positions, index: index) { data in
                block = try? BlockCodec.decode(data, positions: selection.positions, index: index)
                return block != nil
            }
        }
        if partial { return block }
        _ = reads.whole(row: row) { data in
            block = try? BlockCodec.decode(data, keeping: selection.wanted)
            return block != nil
        }
        return block
    }
}
