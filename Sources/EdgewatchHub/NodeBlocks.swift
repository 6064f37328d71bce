/// One node's batch blocks of a listing, in the listing's order, with what a query asks of them
/// together: their ids (its cache key, ``NodeBatchPoints/Key``) and whether each is read from the
/// byte ranges of its index (``ListedBlock/byRanges``).
struct NodeBlocks: Sendable {
    let node: String
    let blocks: [ListedBlock]
    let ids: [Int64]
    let byRanges: Bool

    init(node: String, blocks: [ListedBlock]) {
        self.node = node
        self.blocks = blocks
        ids = blocks.map(\.id)
        byRanges = blocks.allSatisfy(\.byRanges)
    }
}
