import EdgewatchEncoding

/// Bounded memory while flushes fail: the buffer is what a full or read-only disk makes grow.
extension StoreWriter {
    /// Values buffered over every tier.
    var pendingValueCount: Int {
        Tier.allCases.reduce(0) { $0 + (pending[$1]?.valueCount(columns: $1.columns) ?? 0) }
    }

    /// After a failed flush, past `maxPendingValues`: drops the oldest quarter of each tier's
    /// buffered rows and of the buffered cycles, each dropped range recorded as a `not_stored` gap
    /// (committed with the next flush that succeeds).
    func shedIfOverLimit() {
        guard flushFailing, pendingValueCount > configuration.maxPendingValues else { return }
        var shed = 0
        for tier in Tier.allCases {
            guard var buffered = pending[tier] else { continue }
            let rows = buffered.blocks.reduce(0) { $0 + $1.timestamps.count }
            let dropped = buffered.dropOldest(rows: max(1, rows / 4), columns: tier.columns)
            pending[tier] = buffered
            shed += dropped.values
            for range in dropped.ranges {
                recordGap(GapRecord(tier: tier, kind: .notStored, start: range.first, end: range.last))
            }
        }
        pendingCycles.removeFirst(pendingCycles.count / 4)
        statistics.valuesShed += Int64(shed)
    }
}
