import EdgewatchEncoding

/// The in-memory head as a reader sees it: what the next flush will commit.
extension StoreWriter {
    /// Buffered rows of `tier` with timestamps in `[from, to)` (of clock era `era` when given),
    /// buffered gaps overlapping it and events recorded within it. Rows taken before this boot's
    /// first clock sync carry the correction the next flush applies to them.
    public func pendingView(tier: Tier, from: Int64, to: Int64, era: Int64? = nil) -> PendingView {
        let cycles = pendingCycles.filter { era == nil || $0.era == era }
        var view = PendingView(
            newestCycle: cycles.last.map { corrected($0.cycle.timestamp, boot: $0.bootSequence, synchronized: $0.cycle.synchronized) }
        )
        view.oldestCycle = cycles.first.map { corrected($0.cycle.timestamp, boot: $0.bootSequence, synchronized: $0.cycle.synchronized) }
        view.era = self.era
        view.settledThrough = settledNewest
        view.holding = !pendingCorrections.isEmpty || lastCycle.map(isHeld) ?? false
        for block in pending[tier]?.blocks ?? [] where era == nil || block.key.era == era {
            let shift = correction(boot: block.key.bootSequence, synchronized: block.key.synchronized)
            // A block's timestamps ascend (a step back starts a new block): the rows in range are contiguous.
            let rows = block.timestamps.indices.filter { block.timestamps[$0] + shift >= from && block.timestamps[$0] + shift < to }
            guard let first = rows.first, let last = rows.last else { continue }
            let columns = tier.columns
            for (id, entry) in block.series {
                for (position, row) in entry.rows.enumerated() where row >= first && row <= last {
                    let values = Array(entry.values[(position * columns)..<((position + 1) * columns)])
                    view.points[id, default: []].append((block.timestamps[row] + shift, values))
                }
            }
        }
        for id in view.points.keys { view.points[id]?.sort { $0.0 < $1.0 } }
        view.gaps = pendingGaps.filter { $0.end >= from && $0.start < to }
        view.events = pendingEvents.filter { $0.recorded >= from && $0.recorded < to }
        return view
    }

    /// What the next flush adds to rows of `boot` taken with the clock in `synchronized` state.
    private func correction(boot: Int64, synchronized: Bool) -> Int64 {
        synchronized ? 0 : pendingCorrections.filter { $0.bootSequence == boot }.reduce(0) { $0 + $1.offset }
    }

    private func corrected(_ timestamp: Int64, boot: Int64, synchronized: Bool) -> Int64 {
        timestamp + correction(boot: boot, synchronized: synchronized)
    }
}
