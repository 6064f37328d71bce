import EdgewatchEncoding

extension PendingTier {
    /// Values buffered: rows times columns, over every block.
    func valueCount(columns: Int) -> Int {
        blocks.reduce(0) { $0 + $1.sampleCount * columns }
    }

    /// Drops the oldest `count` rows (whole blocks, then the front of the next one); returns the
    /// time range each dropped part covered, and the values dropped.
    mutating func dropOldest(rows count: Int, columns: Int) -> (ranges: [(first: Int64, last: Int64)], values: Int) {
        var left = count
        var ranges: [(first: Int64, last: Int64)] = []
        var values = 0
        while left > 0, let first = blocks.first, let start = first.timestamps.first {
            let rows = first.timestamps.count
            if rows <= left {
                ranges.append((start, first.timestamps.max() ?? start))
                values += first.sampleCount * columns
                blocks.removeFirst()
                left -= rows
            } else {
                let dropped = first.timestamps.prefix(left)
                ranges.append((dropped.min() ?? start, dropped.max() ?? start))
                values += blocks[0].dropFirst(rows: left, columns: columns) * columns
                left = 0
            }
        }
        return (ranges, values)
    }
}

extension PendingBlock {
    /// Removes the first `count` rows; returns how many series rows went with them.
    mutating func dropFirst(rows count: Int, columns: Int) -> Int {
        timestamps.removeFirst(count)
        var removed = 0
        for (id, entry) in series {
            let keep = entry.rows.firstIndex { $0 >= count } ?? entry.rows.count
            removed += keep
            var kept = PendingSeries()
            kept.rows = entry.rows[keep...].map { $0 - count }
            kept.values = Array(entry.values[(keep * columns)...])
            series[id] = kept.rows.isEmpty ? nil : kept
        }
        sampleCount -= removed
        return removed
    }
}
