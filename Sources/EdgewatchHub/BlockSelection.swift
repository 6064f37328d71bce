/// A stored block's series as one query sees them: which positions in the block's series list the
/// query wants and the hub's id of each. A node's batches mostly list the same series in the same
/// order, so ``BlockPoints`` works this out once per node and list, not once per block; only the
/// wanted few of a list's hundreds of ids are kept. A class: it is handed along for every block
/// read, and a struct's arrays were retained and released each time. Immutable, so that a kept set
/// of wanted series keeps its blocks' selections for the next query (``SelectionMemo``).
final class BlockSelection: Sendable {
    /// How many series the list names.
    let count: Int
    /// The wanted positions, ascending.
    let positions: [Int]
    /// The hub's id of the series at each of ``positions``.
    let positionIDs: [Int64]

    /// Whether the block holds any wanted series.
    var wantsAny: Bool { !positions.isEmpty }

    /// Per position, whether the query wants that series (for a block decoded whole).
    var wanted: [Bool] {
        var wanted = [Bool](repeating: false, count: count)
        for position in positions { wanted[position] = true }
        return wanted
    }

    /// The selection of `ids` for a node whose wanted ids are `mine` (ascending). One pass, no
    /// closure per id: a node's list is hundreds of ids, met once per query and node.
    init(ids: [Int64], wantedAmong mine: [Int64]) {
        count = ids.count
        var positions: [Int] = []
        var positionIDs: [Int64] = []
        for (position, id) in ids.enumerated() where Self.isWanted(id, mine) {
            positions.append(position)
            positionIDs.append(id)
        }
        self.positions = positions
        self.positionIDs = positionIDs
    }

    /// The same for a list stored as varints, read in one tight loop without decoding it into an
    /// array (a truncated last varint is dropped, and an overlong one ends the list, as
    /// `Varint.decodeAll` does).
    init(encoded bytes: UnsafeRawBufferPointer, wantedAmong mine: [Int64]) {
        var positions: [Int] = []
        var positionIDs: [Int64] = []
        var count = 0
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes {
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 {
                let id = Int64(bitPattern: value)
                if Self.isWanted(id, mine) {
                    positions.append(count)
                    positionIDs.append(id)
                }
                count += 1
                value = 0
                shift = 0
            } else {
                shift += 7
                if shift >= 64 { break }
            }
        }
        self.count = count
        self.positions = positions
        self.positionIDs = positionIDs
    }

    /// The hub's id of the series at `position`, when it is a wanted one.
    func id(at position: Int) -> Int64? {
        slot(of: position).map { positionIDs[$0] }
    }

    /// Where `position` is among the wanted ``positions``, when it is one of them.
    func slot(of position: Int) -> Int? {
        var low = 0
        var high = positions.count
        while low < high {
            let middle = (low + high) / 2
            if positions[middle] < position { low = middle + 1 } else { high = middle }
        }
        return low < positions.count && positions[low] == position ? low : nil
    }

    /// Whether `id` is among `mine` (ascending): a node's few wanted ids are searched, not hashed
    /// (hashing took a sixth of a fleet query), after a range check that rejects most ids at once.
    private static func isWanted(_ id: Int64, _ mine: [Int64]) -> Bool {
        guard let lowest = mine.first, let highest = mine.last, id >= lowest, id <= highest else { return false }
        return mine.count <= 8 ? mine.contains(id) : sortedContains(mine, id)
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
