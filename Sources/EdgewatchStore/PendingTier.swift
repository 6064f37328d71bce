import EdgewatchEncoding

/// Which segment a pending block belongs to: same span, same boot, same clock epoch.
struct SegmentKey: Hashable, Sendable {
    var span: Int64
    var bootSequence: Int64
    var epoch: Int
    var era: Int64
    var synchronized: Bool
}

/// One buffered cycle, with the boot and clock era it was taken in.
struct PendingCycle: Sendable {
    var cycle: CycleRecord
    var bootSequence: Int64
    var era: Int64
}

/// One series' buffered rows: row indexes and their column values, flattened.
struct PendingSeries: Sendable {
    var rows: [Int] = []
    var values: [Double] = []

    mutating func set(row: Int, columns: [Double]) -> Bool {
        if rows.last == row {
            // The same series twice in one cycle: the last value wins.
            values.replaceSubrange((values.count - columns.count)..<values.count, with: columns)
            return false
        }
        rows.append(row)
        values.append(contentsOf: columns)
        return true
    }

    mutating func set(row: Int, value: Double) -> Bool {
        if rows.last == row {
            values[values.count - 1] = value
            return false
        }
        rows.append(row)
        values.append(value)
        return true
    }
}

/// Rows collected since the last flush for one tier, grouped by target segment.
struct PendingBlock: Sendable {
    var key: SegmentKey
    var timestamps: [Int64] = []
    var series: [Int64: PendingSeries] = [:]
    var sampleCount = 0

    init(key: SegmentKey) { self.key = key }

    func block(columns: Int) -> Block {
        let encoded = series.keys.sorted().map { id -> BlockSeries in
            let entry = series[id] ?? PendingSeries()
            let present: [Bool]? =
                entry.rows.count == timestamps.count
                ? nil
                : {
                    var flags = [Bool](repeating: false, count: timestamps.count)
                    for row in entry.rows { flags[row] = true }
                    return flags
                }()
            let values = (0..<columns).map { column in
                stride(from: column, to: entry.values.count, by: columns).map { entry.values[$0] }
            }
            return BlockSeries(id: id, present: present, values: values)
        }
        return Block(timestamps: timestamps, columns: columns, series: encoded)
    }
}

struct PendingTier: Sendable {
    var blocks: [PendingBlock] = []

    var isEmpty: Bool { blocks.isEmpty }

    /// The row for `timestamp` in the last block for `key` (a new block when the key changes or
    /// time goes backwards within it).
    private mutating func row(timestamp: Int64, key: SegmentKey) -> Int {
        if blocks.last?.key != key { blocks.append(PendingBlock(key: key)) }
        var last = blocks.count - 1
        if let existing = blocks[last].timestamps.lastIndex(of: timestamp) { return existing }
        if let previous = blocks[last].timestamps.last, timestamp < previous {
            blocks.append(PendingBlock(key: key))
            last += 1
        }
        blocks[last].timestamps.append(timestamp)
        return blocks[last].timestamps.count - 1
    }

    /// Adds one rollup row (several columns).
    mutating func add(timestamp: Int64, seriesID: Int64, columns: [Double], key: SegmentKey) {
        let row = row(timestamp: timestamp, key: key)
        let last = blocks.count - 1
        if blocks[last].series[seriesID, default: PendingSeries()].set(row: row, columns: columns) {
            blocks[last].sampleCount += 1
        }
    }

    /// Adds one raw value.
    mutating func add(timestamp: Int64, seriesID: Int64, value: Double, key: SegmentKey) {
        let row = row(timestamp: timestamp, key: key)
        let last = blocks.count - 1
        if blocks[last].series[seriesID, default: PendingSeries()].set(row: row, value: value) {
            blocks[last].sampleCount += 1
        }
    }
}
