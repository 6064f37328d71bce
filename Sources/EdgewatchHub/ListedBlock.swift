/// A block as the first step of a query lists it: its series ids, index and length, and its data
/// only when it has no index and the query names no metric (a rewritten block: one metric, small;
/// a query of one metric reads its points from the cache, else fetches it whole). A class: a fleet query passes
/// ten thousand of them through several lists, and a struct of five buffers cost a fifth of its
/// client time in reference counting.
final class ListedBlock: Sendable {
    let id: Int64
    let node: String
    let tier: Int
    /// The times of its first and last sample.
    let minimum: Int64
    let maximum: Int64
    let ids: [Int64]
    let index: [UInt8]
    let length: Int
    let data: [UInt8]?
    /// The digest of its series list, when the listing read it (a batch block's, ``BatchBlockCache``).
    let digest: [UInt8]?
    /// Its node's number among those ``BatchBlockCache`` numbered (a batch block's); -1 for none.
    let nodeNumber: Int
    /// Whether it is read from the byte ranges of its index (it has one, and its data is not at hand).
    let byRanges: Bool

    init(
        id: Int64,
        node: String,
        tier: Int,
        minimum: Int64,
        maximum: Int64,
        ids: [Int64],
        index: [UInt8],
        length: Int,
        data: [UInt8]?,
        digest: [UInt8]? = nil,
        nodeNumber: Int = -1
    ) {
        self.id = id
        self.node = node
        self.tier = tier
        self.minimum = minimum
        self.maximum = maximum
        self.ids = ids
        self.index = index
        self.length = length
        self.data = data
        self.digest = digest
        self.nodeNumber = nodeNumber
        byRanges = data == nil && !index.isEmpty
    }
}
