import EdgewatchPostgres

/// Reading a query's batch blocks node by node (``NodeBatchPoints``): a fleet's open period is a
/// few batch blocks per node, and a refresh finds most nodes' blocks as the last query did.
extension PostgresHubStorage {
    /// Adds the wanted points of the listed `batches` (in the listing's order). Per node, its
    /// gathered points when held for the same blocks and wanted series, else gathered from its
    /// blocks' points (held or read, ``decodedSeries(_:_:_:)``) and kept. A node with a block that
    /// comes with its data or has no series index, or one that does not decode from its ranges, is
    /// read block by block. The listing is kept grouped (``BatchListing``). Returns how many blocks
    /// did not decode.
    func readBatches(_ batches: BatchListing, into points: inout BlockPoints, _ connection: PostgresConnection) throws(PostgresError) -> Int {
        var alone: [ListedBlock] = []
        var nodes: [(node: String, key: NodeBatchPoints.Key, blocks: [ListedBlock])] = []
        let byNode = batches.grouped
        if batches.byNode == nil {
            let listing = BatchListing(ids: batches.ids, blocks: batches.blocks, byNode: byNode)
            batchBlocks.withLock { $0.keep(listing: listing, now: HubClock.now()) }
        }
        nodes.reserveCapacity(byNode.count)
        for group in byNode {
            let wanted = points.wantedIDs(of: group.node)
            guard !wanted.isEmpty else { continue }
            guard group.byRanges else {
                alone += group.blocks
                continue
            }
            nodes.append((group.node, NodeBatchPoints.Key(blocks: group.ids, wanted: wanted), group.blocks))
        }
        let now = HubClock.now()
        var held: [(node: String, points: NodeBatchPoints)] = []
        held.reserveCapacity(nodes.count)
        var unheld: [(node: String, key: NodeBatchPoints.Key, blocks: [ListedBlock])] = []
        batchBlocks.withLock { cache in
            for entry in nodes {
                if let found = cache.nodePoints(entry.key, now: now) { held.append((entry.node, found)) } else { unheld.append(entry) }
            }
        }
        for (node, gathered) in held { points.add(node: node, gathered: gathered) }
        var rest = Self.toRead(alone, labelsOnly: false, &points)
        var kept: [NodeBatchPoints.Key: NodeBatchPoints] = [:]
        var scratch = BlockScratch()
        var first = 0
        // Nodes of about a thousand blocks at a time, as ``read(_:into:_:)`` reads them.
        while first < unheld.count {
            var last = first
            var blocks = 0
            while last < unheld.count, blocks < Self.rangeChunk {
                blocks += unheld[last].blocks.count
                last += 1
            }
            let chunk = unheld[first..<last]
            let selected = chunk.map { Self.toRead($0.blocks, labelsOnly: false, &points) }
            let decoded = try decodedSeries(ArraySlice(selected.joined()), &scratch, connection)
            for (entry, read) in zip(chunk, selected) {
                if let gathered = NodeBatchPoints(read, decoded: decoded) {
                    points.add(node: entry.node, gathered: gathered)
                    kept[entry.key] = gathered
                } else {
                    rest += read
                }
            }
            first = last
        }
        batchBlocks.withLock { $0.keep(nodes: kept, now: now) }
        return try read(rest, into: &points, connection)
    }

    /// The batch blocks by node, each node's in their order: by their node numbers
    /// (``ListedBlock/nodeNumber``), with no name hashed; by name when a block has none, or when a
    /// number stands for two names (listings numbered before and after the numbers were made again).
    static func byNode(_ batches: [ListedBlock]) -> [(node: String, blocks: [ListedBlock])] {
        func byName() -> [(node: String, blocks: [ListedBlock])] { KeyedGroups.grouped(batches, by: \.node).map { ($0.key, $0.items) } }
        guard batches.allSatisfy({ $0.nodeNumber >= 0 }) else { return byName() }
        let count = (batches.lazy.map(\.nodeNumber).max() ?? -1) + 1
        var groups: [(node: String, blocks: [ListedBlock])] = []
        for blocks in KeyedGroups.grouped(batches, count: count, by: { $0.nodeNumber }) {
            guard let node = blocks.first?.node else { continue }
            guard blocks.allSatisfy({ $0.node == node }) else { return byName() }
            groups.append((node, blocks))
        }
        return groups
    }
}
