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

    /// The selection of `ids` for a node whose wanted ids are `mine` (ascending). One pass, no
    /// closure per id: a node's list is hundreds of ids, met once per query and node.
    init(encoded: [UInt8]? = nil, ids: [Int64], wantedAmong mine: [Int64]) {
        self.encoded = encoded
        self.ids = ids
        var wanted = [Bool](repeating: false, count: ids.count)
        var positions: [Int] = []
        if let lowest = mine.first, let highest = mine.last {
            for (position, id) in ids.enumerated() where id >= lowest && id <= highest {
                // A node's few wanted ids are searched, not hashed: hashing took a sixth of a fleet query.
                guard mine.count <= 8 ? mine.contains(id) : Self.sortedContains(mine, id) else { continue }
                wanted[position] = true
                positions.append(position)
            }
        }
        self.wanted = wanted
        self.positions = positions
        wantsAny = !positions.isEmpty
    }

    /// Binary search in ascending `ids`.
    static func sortedContains(_ ids: [Int64], _ id: Int64) -> Bool {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < ids.count && ids[low] == id
    }
}
