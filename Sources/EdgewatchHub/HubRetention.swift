import EdgewatchEncoding

/// Retention's step, the same on every backend: for a node and a tier, the oldest period wholly
/// past the tier's time is summarised into the next tier (unless the node sent its own summaries
/// for it) and deleted, and the node's mark moves past it. One period of one node per step (or a
/// merged hour reaching past it, whole), so a pass does bounded work between the ingest
/// transactions it waits for.
enum HubRetention {
    /// One step for `node`'s `tier` at `now`; nil when nothing is due.
    static func step<T: HubMaintenance>(
        node: String,
        tier: Tier,
        policy: RetentionPolicy,
        now: Int64,
        in store: T
    ) throws(T.Failure) -> HubMaintenancePass.Step? {
        guard let cutoff = policy.cutoff(tier, now: now) else { return nil }
        let period = RetentionPolicy.period(tier)
        let kind = HubMaintenanceKind.retention(tier)
        let mark = try store.mark(node: node, kind: kind)
        guard let first = try store.firstBlockStart(node: node, tier: tier, endingFrom: mark ?? .min, of: .all) else { return nil }
        let from = max(mark ?? .min, alignDown(first, period))
        guard from <= cutoff - period else { return nil }
        // A block reaching past the period (a merged hour) is handled whole, decoded once.
        let reaching = try store.blocks(node: node, tier: tier, from: from, to: from + period, of: .all, contents: false)
        let to = span(from: from, reaching: reaching, tier: tier, cutoff: cutoff)
        var step = HubMaintenancePass.Step()
        if tier != .hour {
            step.written = try summarise(node: node, tier: tier, from: from, to: to, in: store)
        }
        let candidates = tier == .hour ? try prunable(node: node, before: to, in: store) : []
        (step.deleted, step.expired) = try store.deleteBlocks(node: node, tier: tier, endingBefore: to, at: now)
        if !candidates.isEmpty { step.pruned = try store.pruneSeries(node: node, candidates: candidates) }
        try store.setMark(node: node, kind: kind, to: to)
        return step
    }

    /// The series that may go with the node's 1 h summaries ending before `before` (the last blocks
    /// to hold a series): theirs, but for those the next hour's summaries hold too (a fleet's
    /// series mostly go on, and are known held at the cost of that hour's few rows).
    private static func prunable<T: HubMaintenance>(node: String, before: Int64, in store: T) throws(T.Failure) -> Set<Int64> {
        let going = try store.seriesIDs(node: node, tier: .hour, endingFrom: .min, before: before)
        guard !going.isEmpty else { return [] }
        let period = RetentionPolicy.period(.hour)
        return going.subtracting(try store.seriesIDs(node: node, tier: .hour, endingFrom: before, before: before &+ period))
    }

    /// The end of the step from `from`: its period's, or past the blocks `reaching` into it when
    /// one reaches further (up to compaction's merged span and the cutoff).
    static func span(from: Int64, reaching: [StoredSpan], tier: Tier, cutoff: Int64) -> Int64 {
        let period = RetentionPolicy.period(tier)
        let longest = min(cutoff, from + (HubCompaction.merged(tier) ?? period))
        let last = reaching.map(\.maxTimestamp).max() ?? from
        return max(from + period, min(longest, alignDown(min(last, longest - 1), period) + period))
    }

    /// Summarises the node's blocks of `[from, to)` into the next tier, but for the periods the
    /// node sent its own summaries for; returns the blocks written.
    private static func summarise<T: HubMaintenance>(node: String, tier: Tier, from: Int64, to: Int64, in store: T) throws(T.Failure) -> Int {
        let period = RetentionPolicy.period(tier)
        let next: Tier = tier == .raw ? .minute : .hour
        var rollup = RetentionRollup(tier: tier, from: from, to: to)
        for start in stride(from: from, to: to, by: Int(period)) where try store.hasBlocks(node: node, tier: next, from: start, to: start + period) {
            rollup.skipping.append(start..<start + period)
        }
        guard Int64(rollup.skipping.count) < (to - from) / period else { return 0 }
        let spans = try store.blocks(node: node, tier: tier, from: from, to: to, of: .all, contents: true)
        let described = try store.describe(Array(Set(spans.flatMap(\.ids))))
        for span in spans { _ = rollup.add(ids: span.ids, data: span.data, counters: described.counters) }
        var written = 0
        for summary in rollup.rows().blocks(names: described.names) {
            try store.insert(node: node, tier: next, name: summary.name, ids: summary.ids, block: summary.block)
            written += 1
        }
        return written
    }
}
