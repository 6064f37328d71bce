/// A stored block's series as one query sees them: the hub's id of each series in block order and
/// whether the query wants it. A node's batches mostly list the same series in the same order, so
/// ``BlockPoints`` works this out once per node and list, not once per block. A class: it is
/// handed along for every block read, and a struct's arrays were retained and released each time.
final class BlockSelection {
    /// The list as stored (SQLite's varints), when it came that way.
    let encoded: [UInt8]?
    /// The hub's series id per position in the block.
    let ids: [Int64]
    /// Per position, whether the query wants that series.
    let wanted: [Bool]
    /// Whether the block holds any wanted series.
    let wantsAny: Bool
    /// The wanted positions, ascending.
    let positions: [Int]

    init(encoded: [UInt8]? = nil, ids: [Int64], wanting isWanted: (Int64) -> Bool) {
        self.encoded = encoded
        self.ids = ids
        let wanted = ids.map(isWanted)
        self.wanted = wanted
        positions = wanted.indices.filter { wanted[$0] }
        wantsAny = !positions.isEmpty
    }
}
