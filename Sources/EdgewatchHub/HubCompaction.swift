import EdgewatchEncoding

/// Compaction's step, the same on every backend: a period of a node's tier is rewritten as one
/// block per metric name — its batches' blocks wholly inside it (each holding every series of the
/// node) together with the metric blocks it has already — so a query for one metric across the
/// fleet reads and decodes only that metric's blocks. The open period is rewritten each time a
/// few batches have gathered in it, and once more when it has settled (its batches in), so recent
/// data is read by metric too. A batch block still queued for a remote_write target is left as it
/// is (the others of its period are rewritten) and rewritten once every target has taken it, so a
/// target far behind holds compaction up for none of its other blocks.
enum HubCompaction {
    /// The span one step rewrites: ten minutes of raw batches (one a minute by default), an hour of
    /// 1 m summaries (one a ten minutes).
    static func period(_ tier: Tier) -> Int64 { tier == .raw ? 600_000 : 3_600_000 }
    /// How long after a period ends its batches are taken as all in.
    static func settle(_ tier: Tier) -> Int64 { tier == .raw ? 120_000 : 300_000 }
    /// Batch blocks the open period gathers before they are folded into its metric blocks: each
    /// fold rewrites the period so far, so folding every batch would write it about five times.
    static let openBatches = 3

    /// The span a settled tier's periods are merged into, one block per metric: an hour of raw
    /// (six periods), so a query over a day reads a sixth of the rows; nil for a tier not merged.
    static func merged(_ tier: Tier) -> Int64? { tier == .raw ? 3_600_000 : nil }
    /// How far back before compaction's mark a node's history, compacted before merges came (an
    /// upgraded hub's: none of it merged yet), is merged: older hours stay as their periods' blocks,
    /// which queries and retention read as they are, so the upgrade's work does not grow with the
    /// history kept (a day of 2000 nodes: 48,000 steps, not 720,000 for 15 days).
    static let mergedHistory: Int64 = 86_400_000

    /// One step for `node`'s `tier` at `now`; nil when nothing is due (or it must wait). Batches
    /// that arrived after compaction passed their period (a node's backlog after an outage) are
    /// rewritten first, found by an id cursor so that a block that cannot be rewritten (one
    /// reaching past its period, an imported summary) is looked at once. Then a settled span to
    /// merge (``merged(_:)``) that compaction has not reached yet (a backlog, merged straight from
    /// its batches: one step for seven), else the next period, else a span compaction passed
    /// before (an upgraded hub's history): the periods due now never wait for the history.
    static func step<T: HubMaintenance>(node: String, tier: Tier, now: Int64, in store: T) throws(T.Failure) -> HubMaintenancePass.Step? {
        guard tier != .hour else { return nil }
        let kind = HubMaintenanceKind.compaction(tier)
        let spans = Spans(tier: tier, merged: try store.mark(node: node, kind: kind + "/merged"))
        let mark = try store.mark(node: node, kind: kind)
        if let caughtUp = try catchUp(node: node, tier: tier, mark: mark, spans: spans, now: now, in: store) { return caughtUp }
        let due = try dueMerge(node: node, tier: tier, spans: spans, mark: mark, now: now, in: store)
        if let due, due.lowerBound >= mark ?? .min { return try merge(node: node, tier: tier, span: due, now: now, in: store) }
        if let compacted = try compactPeriod(node: node, tier: tier, mark: mark, spans: spans, now: now, in: store) { return compacted }
        guard let due else { return nil }
        return try merge(node: node, tier: tier, span: due, now: now, in: store)
    }

    /// The node's next period: folded while open once enough batches are in, rewritten once
    /// settled; nil when nothing is due.
    private static func compactPeriod<T: HubMaintenance>(
        node: String,
        tier: Tier,
        mark: Int64?,
        spans: Spans,
        now: Int64,
        in store: T
    ) throws(T.Failure) -> HubMaintenancePass.Step? {
        let period = period(tier)
        guard let first = try store.firstBlockStart(node: node, tier: tier, endingFrom: mark ?? .min, of: .batches) else { return nil }
        let from = max(mark ?? .min, alignDown(first, period))
        // A block stamped at the end of time stays as it is.
        guard from <= Int64.max - period else { return nil }
        let to = from + period
        guard to <= alignDown(now - settle(tier), period) else {
            // Still open: folded once enough batches are in (those queued for remote_write wait
            // their turn in a later fold, or are deferred when the period settles).
            return try rewrite(node: node, tier: tier, from: from, to: to, open: true, in: store)
        }
        // A period of a merged span (a batch there waited out the merge) is rewritten with its span.
        let span = spans.containing(from)
        let step = try rewrite(node: node, tier: tier, from: span.lowerBound, to: span.upperBound, in: store)
        try store.setMark(node: node, kind: HubMaintenanceKind.compaction(tier), to: max(to, span.upperBound))
        try settlePresence(node: node, tier: tier, from: from, now: now, in: store)
        return step ?? HubMaintenancePass.Step()
    }

    /// Rewrites the span of a deferred batch no longer queued, or else of a batch that came after
    /// compaction passed its period; nil when there is neither.
    private static func catchUp<T: HubMaintenance>(
        node: String,
        tier: Tier,
        mark: Int64?,
        spans: Spans,
        now: Int64,
        in store: T
    ) throws(T.Failure) -> HubMaintenancePass.Step? {
        if let deferred = try store.nextDeferred(node: node, tier: tier) {
            let span = spans.containing(deferred.start)
            let step = try rewrite(node: node, tier: tier, from: span.lowerBound, to: span.upperBound, in: store)
            try store.undefer([deferred.id])
            try settlePresence(node: node, tier: tier, from: span.lowerBound, now: now, in: store)
            return step ?? HubMaintenancePass.Step()
        }
        guard let mark else { return nil }
        let cursorKind = HubMaintenanceKind.compaction(tier) + "/late"
        let cursor = try store.mark(node: node, kind: cursorKind) ?? 0
        guard let late = try store.lateBatch(node: node, tier: tier, endingBefore: mark, after: cursor) else { return nil }
        let span = spans.containing(late.start)
        let step = try rewrite(node: node, tier: tier, from: span.lowerBound, to: span.upperBound, in: store)
        try store.setMark(node: node, kind: cursorKind, to: late.id)
        try settlePresence(node: node, tier: tier, from: span.lowerBound, now: now, in: store)
        return step ?? HubMaintenancePass.Step()
    }

    /// The node's next unmerged span once it has settled; nil when none is due. Before the node's
    /// first merge, history more than ``mergedHistory`` before compaction's `mark` is left as it is.
    private static func dueMerge<T: HubMaintenance>(
        node: String,
        tier: Tier,
        spans: Spans,
        mark: Int64?,
        now: Int64,
        in store: T
    ) throws(T.Failure) -> Range<Int64>? {
        guard let length = spans.length else { return nil }
        let floor = spans.merged ?? mark.map { alignDown($0 > .min + mergedHistory ? $0 - mergedHistory : .min, length) } ?? .min
        guard let first = try store.firstBlockStart(node: node, tier: tier, endingFrom: floor, of: .all) else { return nil }
        let from = max(floor, alignDown(first, length))
        guard from <= Int64.max - length, from + length <= alignDown(now - settle(tier), period(tier)) else { return nil }
        return from..<(from + length)
    }

    /// Rewrites `span` (its periods' metric blocks and any batches left in it) as one block per
    /// metric and moves the merged mark past it.
    private static func merge<T: HubMaintenance>(
        node: String,
        tier: Tier,
        span: Range<Int64>,
        now: Int64,
        in store: T
    ) throws(T.Failure) -> HubMaintenancePass.Step {
        let step = try rewrite(node: node, tier: tier, from: span.lowerBound, to: span.upperBound, merging: true, in: store)
        try store.setMark(node: node, kind: HubMaintenanceKind.compaction(tier) + "/merged", to: span.upperBound)
        try settlePresence(node: node, tier: tier, from: span.lowerBound, now: now, in: store)
        return step ?? HubMaintenancePass.Step()
    }

    /// Once the hour holding `from` has settled, the node's presence rows of it become one
    /// (``SeriesPresence/merged(_:)``): a node whose series came and went that hour added a row
    /// per distinct list, and listings read each.
    private static func settlePresence<T: HubMaintenance>(node: String, tier: Tier, from: Int64, now: Int64, in store: T) throws(T.Failure) {
        let hour = SeriesPresence.hour(of: from)
        guard hour < .max - SeriesPresence.hour, hour + SeriesPresence.hour <= alignDown(now - settle(tier), period(tier)) else { return }
        if let merged = SeriesPresence.merged(try store.presence(node: node, hour: hour)) { try store.replacePresence(node: node, with: merged) }
    }

    /// Rewrites the node's batch blocks wholly inside `[from, to)` with the span's metric blocks
    /// as one block per metric, but for batches waiting in a remote_write queue: deferred, or in an
    /// `open` period left for a later fold. Nil for an open period with too few batches to fold.
    /// `merging`: the span's metric blocks are rewritten even without batches.
    private static func rewrite<T: HubMaintenance>(
        node: String,
        tier: Tier,
        from: Int64,
        to: Int64,
        open: Bool = false,
        merging: Bool = false,
        in store: T
    ) throws(T.Failure) -> HubMaintenancePass.Step? {
        // Blocks reaching past the period stay as they are (queries read both layouts).
        let inside = { (span: StoredSpan) in span.minTimestamp >= from && span.maxTimestamp < to }
        // An open period is looked at every pass: its batches' contents are read only to fold them.
        var batches = try store.blocks(node: node, tier: tier, from: from, to: to, of: .batches, contents: !open).filter(inside)
        let queued = try store.queued(batches.map(\.id))
        batches.removeAll { queued.contains($0.id) }
        if open {
            guard batches.count >= openBatches else { return nil }
            let folded = Set(batches.map(\.id))
            batches = try store.blocks(node: node, tier: tier, from: from, to: to, of: .batches, contents: true).filter { folded.contains($0.id) }
        } else if !queued.isEmpty {
            try store.deferCompaction(node: node, tier: tier, blocks: queued.sorted())
        }
        // A period has work when it holds batches; a merge, also when its span holds more than one metric block.
        guard !batches.isEmpty || merging else { return HubMaintenancePass.Step() }
        let metrics = try store.blocks(node: node, tier: tier, from: from, to: to, of: .metrics, contents: true).filter(inside)
        guard !batches.isEmpty || metrics.count > 1 else { return HubMaintenancePass.Step() }
        var rows = BlockRows(columns: tier.columns)
        var rewritten: [Int64] = []
        var seriesIDs = Set<Int64>()
        // The period's metric blocks first, then its batches (a later row replaces an earlier one).
        for span in metrics + batches {
            var codec = BlockCodec()
            // A block that cannot be decoded (counted by the queries that meet it), or an imported
            // summary carrying only its last value, stays as it is.
            guard let block = try? codec.decode(span.data), block.columns == tier.columns else { continue }
            rows.add(block, ids: span.ids, from: from, to: to)
            rewritten.append(span.id)
            seriesIDs.formUnion(span.ids)
        }
        var step = HubMaintenancePass.Step()
        let names = try store.describe(Array(seriesIDs)).names
        for metric in rows.blocks(names: names) {
            try store.insert(node: node, tier: tier, name: metric.name, ids: metric.ids, block: metric.block)
            step.written += 1
        }
        step.deleted = try store.delete(rewritten)
        return step
    }
}
