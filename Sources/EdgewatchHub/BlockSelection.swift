/// A stored block's series as one query sees them: the hub's id of each series in block order and
/// whether the query wants it. A node's batches mostly list the same series in the same order, so
/// ``BlockPoints`` works this out once per node and list, not once per block.
struct BlockSelection {
    /// The hub's series id per position in the block.
    let ids: [Int64]
    /// Per position, whether the query wants that series.
    let wanted: [Bool]
    /// Whether the block holds any wanted series.
    let wantsAny: Bool

    init(ids: [Int64], wanting isWanted: (Int64) -> Bool) {
        self.ids = ids
        wanted = ids.map(isWanted)
        wantsAny = wanted.contains(true)
    }

}
