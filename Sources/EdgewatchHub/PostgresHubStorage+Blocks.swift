import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres

/// Fetching a query's blocks in parts: first every block's series list (sent once per node while
/// it repeats) and series index, then of each indexed batch block only the byte ranges its wanted
/// series need (``BlockCodec/indexedRanges(positions:index:count:)``), then, rarely, whole those
/// whose parts did not decode. A query for one metric over a fleet moves a tenth of the bytes.
extension PostgresHubStorage {
    /// Blocks whose ranges one statement fetches (a fleet's as-received hour: 120,000 blocks; at
    /// 256 a statement, 470 round trips).
    static let rangeChunk = 1024
    /// The most nodes a listing names: a query over more (a fleet's) lists the metric's blocks of
    /// every node and skips those of nodes it does not want. Two thousand names took 2 ms to plan,
    /// more than the few unwanted rows cost.
    public static let nodesNamed = 64
    /// The most series ids a listing or query without a metric name selects its blocks by: past it,
    /// by node when the nodes are few (a listing: else every block of the window). A window's 500
    /// ids of a node took 150 ms through the GIN index, its blocks by node 17 ms.
    static let idsNamed = 256
    /// Up to this many nodes, a listing without a metric name reads the nodes' blocks by index
    /// whatever its ids (a label listing's check of one node's carriers: 17 ids through the GIN
    /// index took 14 ms at 2000 nodes, as it meets every block of theirs in the table).
    static let nodesByIndex = 16

    /// Adds the blocks' wanted points to `points` (`names`: the metric names the query takes, if
    /// it names one or a pattern of names narrows them;
    /// `every`: the query wants every stored series); returns how many blocks did not decode. With
    /// `labelsOnly`, only the blocks that tell whether a series has a point in the window are read
    /// (``BlockPoints/present(node:tier:from:to:selection:)``).
    func fetchBlocks(
        names: [String]?,
        every: Bool,
        start: Int64,
        end: Int64,
        labelsOnly: Bool,
        into points: inout BlockPoints,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> Int {
        // The wanted ids select the blocks only when no names do, and some series are not wanted.
        // Hundreds of ids through the GIN index cost more than the few wanted nodes' blocks of the
        // window (or, for a listing, which sends no data, every block of it) with the rest skipped.
        let wantedIDs = names == nil && !every ? points.wantedIDs : nil
        let many = (wantedIDs?.count ?? 0) > Self.idsNamed
        // The wanted nodes, sorted, when few enough to name (a fleet's thousands are neither
        // sorted nor sent).
        let nodeCount = points.wantedNodeCount
        let nodes = nodeCount <= Self.nodesNamed ? points.wantedNodes : nil
        let fewNodes = labelsOnly && nodeCount <= Self.nodesByIndex
        let byNode = wantedIDs != nil && (many || fewNodes) && nodes != nil
        let ids = byNode || (many && labelsOnly) ? nil : wantedIDs
        if labelsOnly {
            var selected: [(block: ListedBlock, selection: BlockSelection)] = []
            // Newest first, until every wanted series is known; then the edges still needed.
            for slice in ListingSlices(start: start, end: end) where !points.knowsEveryWanted {
                let blocks = try listBlocks(
                    names: names,
                    nodes: nodes,
                    ids: ids,
                    byNode: byNode,
                    ends: slice,
                    end: end,
                    data: false,
                    connection
                )
                selected += Self.toRead(blocks, labelsOnly: true, &points)
            }
            selected.removeAll { points.knowsAll($0.selection) }
            return try read(selected, into: &points, connection)
        }
        guard let names else {
            let blocks = try listBlocks(
                names: nil,
                nodes: nodes,
                ids: ids,
                byNode: byNode,
                ends: start...Int64.max,
                end: end,
                data: true,
                connection
            )
            return try read(Self.toRead(blocks, labelsOnly: false, &points), into: &points, connection)
        }
        // The metric's own blocks first, then the batch blocks node by node (``readBatches(_:into:_:)``).
        let (metric, batches) = try listNamed(names, nodes: nodes, ends: start...Int64.max, end: end, data: true, connection)
        let damaged = try read(Self.toRead(metric, labelsOnly: false, &points), into: &points, connection)
        return damaged + (try readBatches(batches, into: &points, connection))
    }

    /// Adds the points of the `selected` blocks, each read as it can be: with its data at hand,
    /// from the byte ranges its series need, else whole; returns how many did not decode.
    func read(
        _ selected: [(block: ListedBlock, selection: BlockSelection)],
        into points: inout BlockPoints,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> Int {
        var parts: [(block: ListedBlock, selection: BlockSelection)] = []
        var whole: [(block: ListedBlock, selection: BlockSelection)] = []
        var damaged = 0
        for (block, selection) in selected {
            if let data = block.data {
                if !points.add(node: block.node, tier: block.tier, selection: selection, data: data) { damaged += 1 }
            } else if !block.index.isEmpty {
                parts.append((block, selection))
            } else {
                whole.append((block, selection))
            }
        }
        // A thousand blocks at a time: a query over a fleet's day holds a chunk's ranges in memory,
        // not all of them. Each block's ranges are laid at their offsets in one zeroed buffer,
        // decoded, and zeroed again (a buffer per block, zeroed whole, had been a tenth of the
        // client's time in such a query). Blocks are added in their listing's order.
        var scratch = BlockScratch()
        for start in Swift.stride(from: 0, to: parts.count, by: Self.rangeChunk) {
            let chunk = parts[start..<min(start + Self.rangeChunk, parts.count)]
            let decoded = try decodedSeries(chunk, &scratch, connection)
            for part in chunk {
                if let series = decoded[part.block.id] {
                    points.add(node: part.block.node, tier: part.block.tier, selection: part.selection, decoded: series)
                } else {
                    whole.append((part.block, part.selection))
                }
            }
        }
        return damaged + (try readWhole(whole, into: &points, connection))
    }

    /// The listed blocks holding wanted series, with their selections; for a listing of label sets
    /// only those reaching past the window's edges (the caller drops those whose series a block
    /// inside it told of).
    static func toRead(
        _ blocks: [ListedBlock],
        labelsOnly: Bool,
        _ points: inout BlockPoints
    ) -> [(block: ListedBlock, selection: BlockSelection)] {
        var selected: [(block: ListedBlock, selection: BlockSelection)] = []
        for block in blocks {
            guard let selection = points.selection(node: block.node, ids: block.ids) else { continue }
            if labelsOnly, points.present(node: block.node, tier: block.tier, from: block.minimum, to: block.maximum, selection: selection) {
                continue
            }
            selected.append((block, selection))
        }
        return selected
    }

    /// The blocks of the query's window `[…, end]` whose `max_ts` is in `ends`: by the name index
    /// when the query takes a few metric `names` (their own blocks and the batch blocks, of
    /// the wanted `nodes` when given: nil when more than ``nodesNamed``), else those holding one of `ids`, or every block when
    /// `ids` is nil (of `nodes` when `byNode`); `data`: with the data of blocks without a series index.
    /// Without names, a block's series list is NULL when it repeats the node's previous block's
    /// (most do), known by their digests (``SeriesListDigest``; a block stored before them has none
    /// and sends its list). Rows are grouped by node in byte order: the database's collation (often
    /// a locale's, several times slower to compare) orders nothing the hub needs.
    private func listBlocks(
        names: [String]?,
        nodes: [String]?,
        ids: [Int64]?,
        byNode: Bool = false,
        ends: ClosedRange<Int64>,
        end: Int64,
        data: Bool,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> [ListedBlock] {
        if let names {
            let (metric, batches) = try listNamed(names, nodes: nodes, ends: ends, end: end, data: data, connection)
            return metric + batches.blocks
        }
        // A block without a series index comes with its data (a small rewritten block), unless
        // the listing is of label sets: then only the few read are fetched, whole.
        let small = data ? "CASE WHEN series_index IS NULL THEN data END" : "NULL::bytea"
        let rows = try connection.query(
            """
            SELECT id, node, tier,
                CASE WHEN series_digest = lag(series_digest) OVER (PARTITION BY node COLLATE "C" ORDER BY tier, min_ts, id) THEN NULL ELSE series END,
                series_index, octet_length(data), \(small), min_ts, max_ts FROM blocks
            WHERE max_ts BETWEEN $1 AND $3 AND min_ts <= $2\(ids == nil ? "" : " AND series && $4::int8[]")\(byNode ? " AND node = ANY($4::text[]) AND tier = ANY('{\(Tier.listed)}')" : "") ORDER BY node COLLATE "C", tier, min_ts, id
            """,
            [.int(ends.lowerBound), .int(end), .int(ends.upperBound)] + (ids.map { [.intArray($0)] } ?? [])
                + (byNode ? [.textArray(nodes ?? [])] : [])
        )
        return try Self.listed(rows)
    }

    /// The blocks of the query's window `[…, end]` whose `max_ts` is in `ends` by the name index:
    /// those of the metric `names` (of the wanted `nodes`; nil: more than ``nodesNamed``, any node's),
    /// and the batch blocks.
    private func listNamed(
        _ names: [String],
        nodes: [String]?,
        ends: ClosedRange<Int64>,
        end: Int64,
        data: Bool,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> (metric: [ListedBlock], batches: BatchListing) {
        // One name as its own parameter: the plan of the fleet panel's statement stays as it was.
        let name: PostgresValue = names.count == 1 ? .text(names[0]) : .textArray(names)
        let taken = names.count == 1 ? "name = $1" : "name = ANY($1::text[])"
        // The metric's own blocks as they are (each list a few ids) without their data: those whose
        // points are not held are fetched whole (``readWhole(_:into:_:)``). Then the batch blocks
        // (``listBatches(nodes:ends:end:data:_:)``).
        let nodeFilter = nodes == nil ? "" : " AND node = ANY($5::text[])"
        let metric = try connection.query(
            """
            SELECT id, node, tier, series, series_index, octet_length(data), NULL::bytea, min_ts, max_ts
                FROM blocks WHERE \(taken) AND max_ts BETWEEN $2 AND $4 AND min_ts <= $3\(nodeFilter)
            """,
            [name, .int(ends.lowerBound), .int(end), .int(ends.upperBound)] + (nodes.map { [.textArray($0)] } ?? [])
        )
        return (try Self.listed(metric), try listBatches(nodes: nodes, ends: ends, end: end, data: data, connection))
    }

    /// Rows of `(id, node, tier, series, series_index, length, data, min_ts, max_ts)` as listed
    /// blocks; a NULL series list repeats the row before's.
    private static func listed(_ rows: PostgresResult) throws(PostgresError) -> [ListedBlock] {
        var blocks: [ListedBlock] = []
        blocks.reserveCapacity(rows.rowCount)
        var seriesIDs: [Int64] = []  // the last list sent: a NULL repeats it
        for row in 0..<rows.rowCount {
            if !rows.isNull(row, 3) { seriesIDs = try rows.intArray(row, 3) }
            blocks.append(
                ListedBlock(
                    id: try rows.int(row, 0),
                    node: try rows.string(row, 1),
                    tier: Int(try rows.int(row, 2)),
                    minimum: try rows.int(row, 7),
                    maximum: try rows.int(row, 8),
                    ids: seriesIDs,
                    index: rows.isNull(row, 4) ? [] : try rows.bytes(row, 4),
                    length: Int(try rows.int(row, 5)),
                    data: rows.isNull(row, 6) ? nil : try rows.bytes(row, 6)
                )
            )
        }
        return blocks
    }

    /// Per block, the given ranges' bytes and offsets.
    func fetchRanges(
        _ wanted: [(id: Int64, ranges: [Range<Int>])],
        _ connection: PostgresConnection
    ) throws(PostgresError) -> [Int64: [(offset: Int, bytes: [UInt8])]] {
        guard !wanted.isEmpty else { return [:] }
        var ids: [Int64] = []
        var offsets: [Int64] = []
        var lengths: [Int64] = []
        var fetched: [Int64: [(offset: Int, bytes: [UInt8])]] = [:]
        for block in wanted {
            fetched[block.id] = []
            for range in block.ranges {
                ids.append(block.id)
                offsets.append(Int64(range.lowerBound))
                lengths.append(Int64(range.count))
            }
        }
        let rows = try connection.query(
            """
            SELECT r.id, r.offset_, substring(b.data FROM (r.offset_ + 1)::int4 FOR r.length_::int4) FROM blocks b
            JOIN unnest($1::int8[], $2::int8[], $3::int8[]) AS r(id, offset_, length_) ON b.id = r.id
            """,
            [.intArray(ids), .intArray(offsets), .intArray(lengths)]
        )
        for row in 0..<rows.rowCount {
            fetched[try rows.int(row, 0)]?.append((Int(try rows.int(row, 1)), try rows.bytes(row, 2)))
        }
        return fetched
    }
}
