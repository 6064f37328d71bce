/// A query's listing of batch blocks: their ids in the listing's order and the blocks, and once a
/// query has grouped them, the blocks by node (``NodeBlocks``). Kept by ``BatchBlockCache`` with
/// its grouping: a refresh that lists the same blocks (a dashboard's panels over the same window,
/// a hub whose nodes have sent nothing since) takes the groups as they were, touching none of its
/// thousands of blocks (at 2000 nodes, looking up and grouping 10,000 blocks was a seventh of a
/// fleet query's time in the hub, most of it cache misses on the blocks themselves).
struct BatchListing: Sendable {
    let ids: [Int64]
    let blocks: [ListedBlock]
    /// The blocks by node, when grouped.
    var byNode: [NodeBlocks]?

    /// The groups by node (``byNode``, else made of ``blocks``).
    var grouped: [NodeBlocks] { byNode ?? PostgresHubStorage.byNode(blocks).map { NodeBlocks(node: $0.node, blocks: $0.blocks) } }
}
