import EdgewatchEncoding

/// Retention's step, the same on every backend: for a node and a tier, the oldest period wholly
/// past the tier's time is summarised into the next tier (unless the node sent its own summaries
/// for it) and deleted, and the node's mark moves past it. One period of one node per step, so a
/// pass does bounded work between the ingest transactions it waits for.
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
        let to = from + period
        guard to <= cutoff else { return nil }
        var step = HubMaintenancePass.Step()
        if tier != .hour {
            let next: Tier = tier == .raw ? .minute : .hour
            if !(try store.hasBlocks(node: node, tier: next, from: from, to: to)) {
                let spans = try store.blocks(node: node, tier: tier, from: from, to: to, of: .all, contents: true)
                let described = try store.describe(Array(Set(spans.flatMap(\.ids))))
                var rollup = RetentionRollup(tier: tier, from: from, to: to)
                for span in spans { _ = rollup.add(ids: span.ids, data: span.data, counters: described.counters) }
                for summary in rollup.rows().blocks(names: described.names) {
                    try store.insert(node: node, tier: next, name: summary.name, ids: summary.ids, block: summary.block)
                    step.written += 1
                }
            }
        }
        (step.deleted, step.expired) = try store.deleteBlocks(node: node, tier: tier, endingBefore: to, at: now)
        try store.setMark(node: node, kind: kind, to: to)
        return step
    }
}
