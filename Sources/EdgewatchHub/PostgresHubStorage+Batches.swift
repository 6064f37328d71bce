import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchPromQL

/// Listing and reading a query's batch blocks through ``BatchBlockCache``: the window's batch
/// block ids by an index-only scan, the listings of those not held, the series lists of digests
/// none of the held ones has, and of each block the wanted series not held, from the byte ranges
/// they need.
extension PostgresHubStorage {
    /// The batch blocks (`name = ''`) of the window `[…, end]` whose `max_ts` is in `ends` (of
    /// `nodes` when given), in the order of their ends; `data`: with the data of blocks without a
    /// series index. A listing of the same ids as one kept comes grouped as it was
    /// (``BatchBlockCache/listing(_:now:)``).
    func listBatches(
        nodes: [String]?,
        ends: ClosedRange<Int64>,
        end: Int64,
        data: Bool,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> BatchListing {
        let filter = nodes == nil ? "" : " AND node = ANY($4::text[])"
        let rows = try connection.query(
            "SELECT id FROM blocks WHERE name = '' AND max_ts BETWEEN $1 AND $3 AND min_ts <= $2\(filter) ORDER BY max_ts, min_ts, id",
            [.int(ends.lowerBound), .int(end), .int(ends.upperBound)] + (nodes.map { [.textArray($0)] } ?? [])
        )
        var ids: [Int64] = []
        ids.reserveCapacity(rows.rowCount)
        for row in 0..<rows.rowCount { ids.append(try rows.int(row, 0)) }
        let now = HubClock.now()
        let (kept, found, missing) = batchBlocks.withLock { cache -> (BatchListing?, [ListedBlock], [Int64]) in
            if let kept = cache.listing(ids, now: now) { return (kept, [], []) }
            let (found, missing) = cache.listings(ids, now: now)
            return (nil, found, missing)
        }
        if let kept { return kept }
        guard !missing.isEmpty else { return BatchListing(ids: ids, blocks: found) }
        let read = try batchListings(missing, data: data, known: found, connection)
        batchBlocks.withLock { $0.keep(read, now: now) }
        // In the order of the ids listed: `found` is in that order already, so only the blocks
        // read are looked up (a refresh reads a few of its thousands).
        let readByID = Dictionary(read.map { ($0.id, $0) }) { first, _ in first }
        let unheld = Set(missing)
        var held = found.makeIterator()
        return BatchListing(ids: ids, blocks: ids.compactMap { unheld.contains($0) ? readByID[$0] : held.next() })
    }

    /// The listings of the batch blocks `ids`: their series lists taken from a `known` block of the
    /// same digest, else read once per digest (and for each block without one).
    private func batchListings(
        _ ids: [Int64],
        data: Bool,
        known: [ListedBlock],
        _ connection: PostgresConnection
    ) throws(PostgresError) -> [ListedBlock] {
        let small = data ? "CASE WHEN series_index IS NULL THEN data END" : "NULL::bytea"
        let rows = try connection.query(
            """
            SELECT id, node, tier, min_ts, max_ts, series_index, octet_length(data), series_digest, \(small)
                FROM blocks WHERE id = ANY($1::int8[])
            """,
            [.intArray(ids)]
        )
        var lists: [[UInt8]: [Int64]] = [:]
        for block in known { if let digest = block.digest { lists[digest] = block.ids } }
        var unlisted: [Int64] = []  // one block per digest not known, and each without a digest
        var asked = Set<[UInt8]>()
        var digests: [[UInt8]?] = []
        digests.reserveCapacity(rows.rowCount)
        for row in 0..<rows.rowCount {
            let digest = rows.isNull(row, 7) ? nil : try rows.bytes(row, 7)
            digests.append(digest)
            switch digest {
            case .some(let digest) where lists[digest] != nil: break
            case .some(let digest): if asked.insert(digest).inserted { unlisted.append(try rows.int(row, 0)) }
            case .none: unlisted.append(try rows.int(row, 0))
            }
        }
        var byID: [Int64: [Int64]] = [:]
        if !unlisted.isEmpty {
            let listed = try connection.query("SELECT id, series_digest, series FROM blocks WHERE id = ANY($1::int8[])", [.intArray(unlisted)])
            for row in 0..<listed.rowCount {
                let list = try listed.intArray(row, 2)
                if listed.isNull(row, 1) { byID[try listed.int(row, 0)] = list } else { lists[try listed.bytes(row, 1)] = list }
            }
        }
        var nodes: [String] = []
        nodes.reserveCapacity(rows.rowCount)
        for row in 0..<rows.rowCount { nodes.append(try rows.string(row, 1)) }
        let numbers = batchBlocks.withLock { $0.numbers(of: nodes) }
        var blocks: [ListedBlock] = []
        blocks.reserveCapacity(rows.rowCount)
        for (row, digest) in digests.enumerated() {
            let id = try rows.int(row, 0)
            blocks.append(
                ListedBlock(
                    id: id,
                    node: nodes[row],
                    tier: Int(try rows.int(row, 2)),
                    minimum: try rows.int(row, 3),
                    maximum: try rows.int(row, 4),
                    ids: digest.flatMap { lists[$0] } ?? byID[id] ?? [],
                    index: rows.isNull(row, 5) ? [] : try rows.bytes(row, 5),
                    length: Int(try rows.int(row, 6)),
                    data: rows.isNull(row, 8) ? nil : try rows.bytes(row, 8),
                    digest: digest,
                    nodeNumber: numbers[row]
                )
            )
        }
        return blocks
    }

    /// Per block of `parts` (each with a series index), the points of its selection's series, one
    /// list per position: those held, and of the other blocks the byte ranges the series need
    /// fetched, decoded and kept. A block left out did not decode from its ranges (read it whole).
    func decodedSeries(
        _ parts: ArraySlice<(block: ListedBlock, selection: BlockSelection)>,
        _ scratch: inout BlockScratch,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> [Int64: [[Point]]] {
        let now = HubClock.now()
        var result: [Int64: [[Point]]] = [:]
        var unheld: [(block: ListedBlock, selection: BlockSelection)] = []
        batchBlocks.withLock { cache in
            for part in parts {
                if let held = cache.points(of: part.block.id, part.selection.positions, now: now) {
                    result[part.block.id] = held
                } else {
                    unheld.append(part)
                }
            }
        }
        let missing = unheld.compactMap { part -> (block: ListedBlock, selection: BlockSelection, ranges: [Range<Int>])? in
            let ranges = try? part.block.index.withUnsafeBytes { index throws(DecodingError) in
                try BlockCodec.indexedRanges(positions: part.selection.positions, index: index, count: part.block.length)
            }
            return ranges.map { (part.block, part.selection, $0) }
        }
        guard !missing.isEmpty else { return result }
        let fetched = try fetchRanges(missing.map { ($0.block.id, $0.ranges) }, connection)
        var decoded: [Int64: (positions: [Int], points: [[Point]])] = [:]
        for part in missing {
            let block = fetched[part.block.id].flatMap { ranges in
                scratch.with(ranges, length: part.block.length) { data in
                    part.block.index.withUnsafeBytes { index in try? BlockCodec.decode(data, positions: part.selection.positions, index: index) }
                } ?? nil
            }
            guard let block else { continue }
            let points = BlockPoints.decoded(block, tier: part.block.tier, selection: part.selection)
            result[part.block.id] = points
            decoded[part.block.id] = (part.selection.positions, points)
        }
        batchBlocks.withLock { $0.keep(points: decoded, now: now) }
        return result
    }
}
