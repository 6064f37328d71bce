import EdgewatchPromQL

/// One node's batch blocks of a query's window as a query read them: per wanted series and tier,
/// the points of all those blocks in one time-ordered list (``BlockPoints/merged(_:)`` of the
/// blocks', before any window is applied). ``BatchBlockCache`` keeps it by the node's block ids
/// and wanted series, so a dashboard's refresh takes one entry per node where it had looked up each
/// block's series (at 2000 nodes, 10,000 blocks as received: half of the hub's time answering one
/// metric); a node whose blocks changed since (a batch stored, or folded) is gathered again from
/// the blocks' points.
struct NodeBatchPoints: Sendable {
    /// Which entry: the node's listed batch blocks in the listing's order, and its wanted series
    /// ids, ascending. Blocks never change once stored, so these decide the entry's points.
    struct Key: Hashable, Sendable {
        let blocks: [Int64]
        let wanted: [Int64]
    }

    /// One series' points of one tier, in time order.
    struct Chunk: Sendable {
        let id: Int64
        let tier: Int
        let points: [Point]
    }

    /// The most points an entry kept holds: a raw open period's ten minutes of four series at 10 s
    /// (a fleet panel's CPUs of a node). A query of dozens of a node's series is answered, not kept.
    static let keptPoints = 256

    let chunks: [Chunk]
    /// Points in all chunks.
    let count: Int

    /// The points of the `read` blocks (each with its selection, in the listing's order) from
    /// `decoded` (a block's lists, one per position of its selection); nil when a block is missing
    /// from it (it did not decode from its ranges: read it alone).
    init?(_ read: [(block: ListedBlock, selection: BlockSelection)], decoded: [Int64: [[Point]]]) {
        var order: [(id: Int64, tier: Int)] = []
        var lists: [[(tier: Int, points: [Point])]] = []
        var place: [Int64: [Int: Int]] = [:]
        for (block, selection) in read {
            guard let series = decoded[block.id] else { return nil }
            for (id, points) in zip(selection.positionIDs, series) where !points.isEmpty {
                if let index = place[id]?[block.tier] {
                    lists[index].append((block.tier, points))
                } else {
                    place[id, default: [:]][block.tier] = order.count
                    order.append((id, block.tier))
                    lists.append([(block.tier, points)])
                }
            }
        }
        var count = 0
        chunks = zip(order, lists).map { series, list in
            let points = BlockPoints.merged(list)
            count += points.count
            return Chunk(id: series.id, tier: series.tier, points: points)
        }
        self.count = count
    }
}
