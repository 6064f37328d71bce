/// Which segment a pending block belongs to: same span, same boot, same clock epoch.
struct SegmentKey: Hashable, Sendable {
    var span: Int64
    var bootSequence: Int64
    var epoch: Int
    var synchronized: Bool
}

/// Rows collected since the last flush for one tier, grouped by target segment.
struct PendingBlock: Sendable {
    var key: SegmentKey
    var timestamps: [Int64] = []
    /// Per series: (row index, column values).
    var rows: [Int64: [(Int, [Double])]] = [:]
    var sampleCount = 0

    func block(columns: Int) -> Block {
        let series = rows.keys.sorted().map { id -> BlockSeries in
            let entries = rows[id] ?? []
            let present: [Bool]? = entries.count == timestamps.count ? nil : {
                var flags = [Bool](repeating: false, count: timestamps.count)
                for (row, _) in entries { flags[row] = true }
                return flags
            }()
            let values = (0..<columns).map { column in entries.map { $0.1[column] } }
            return BlockSeries(id: id, present: present, values: values)
        }
        return Block(timestamps: timestamps, columns: columns, series: series)
    }
}

struct PendingTier: Sendable {
    var blocks: [PendingBlock] = []

    var isEmpty: Bool { blocks.isEmpty }

    /// Adds one row value; rows of one block keep ascending timestamps, one row per timestamp.
    mutating func add(timestamp: Int64, seriesID: Int64, columns: [Double], key: SegmentKey) {
        if blocks.last?.key != key { blocks.append(PendingBlock(key: key)) }
        let last = blocks.count - 1
        var row = blocks[last].timestamps.lastIndex(of: timestamp)
        if row == nil {
            if let previous = blocks[last].timestamps.last, timestamp < previous {
                // Out of order within a block (a rollup bucket closing late): start a new block.
                blocks.append(PendingBlock(key: key))
                return add(timestamp: timestamp, seriesID: seriesID, columns: columns, key: key)
            }
            blocks[last].timestamps.append(timestamp)
            row = blocks[last].timestamps.count - 1
        }
        guard let row else { return }
        var entries = blocks[last].rows[seriesID] ?? []
        if entries.last?.0 == row {
            entries[entries.count - 1] = (row, columns)  // a repeated series in one cycle: last value wins
        } else {
            entries.append((row, columns))
            blocks[last].sampleCount += 1
        }
        blocks[last].rows[seriesID] = entries
    }
}
