import EdgewatchEncoding

/// What retention needs from a backend, inside one transaction that holds the node (no ingest of
/// the node's batches runs beside it).
protocol RetentionTransaction {
    associatedtype Failure: Error
    /// Where the node's `tier` data has been handled up to (samples before it are gone or summarised).
    func mark(node: String, tier: Tier) throws(Failure) -> Int64?
    func setMark(node: String, tier: Tier, to: Int64) throws(Failure)
    /// The start of the node's first block of `tier` that ends at or after `from`; nil when none.
    func firstBlockStart(node: String, tier: Tier, endingFrom from: Int64) throws(Failure) -> Int64?
    /// The node's blocks of `tier` reaching into `[from, to)`, oldest first.
    func blocks(node: String, tier: Tier, from: Int64, to: Int64) throws(Failure) -> [(ids: [Int64], data: [UInt8])]
    func hasBlocks(node: String, tier: Tier, from: Int64, to: Int64) throws(Failure) -> Bool
    /// Which of the hub series ids are counters.
    func counters(_ ids: [Int64]) throws(Failure) -> Set<Int64>
    func insert(node: String, tier: Tier, ids: [Int64], block: Block) throws(Failure)
    /// Deletes the node's blocks of `tier` that end before `before` (and their places in the
    /// remote_write queues); returns how many.
    func deleteBlocks(node: String, tier: Tier, endingBefore before: Int64) throws(Failure) -> Int
}

/// Retention's work, the same on every backend: for a node and a tier, the oldest period that is
/// wholly past the tier's time is summarised into the next tier (unless the node sent its own
/// summaries for it) and deleted, and the node's mark moves past it. Each step is one period of one
/// node, so a pass does bounded work between the ingest transactions it waits for.
enum HubRetention {
    struct Step: Equatable {
        var deleted = 0
        var summarised = 0
    }

    /// One step for `node`'s `tier` at `now`; nil when nothing is due.
    static func step<T: RetentionTransaction>(
        node: String,
        tier: Tier,
        policy: RetentionPolicy,
        now: Int64,
        in transaction: T
    ) throws(T.Failure) -> Step? {
        guard let cutoff = policy.cutoff(tier, now: now) else { return nil }
        let period = RetentionPolicy.period(tier)
        let mark = try transaction.mark(node: node, tier: tier)
        guard let first = try transaction.firstBlockStart(node: node, tier: tier, endingFrom: mark ?? .min) else { return nil }
        let from = max(mark ?? .min, first >= 0 ? first / period * period : (first - period + 1) / period * period)
        let to = from + period
        guard to <= cutoff else { return nil }
        var step = Step()
        if tier != .hour {
            let next: Tier = tier == .raw ? .minute : .hour
            if !(try transaction.hasBlocks(node: node, tier: next, from: from, to: to)) {
                let blocks = try transaction.blocks(node: node, tier: tier, from: from, to: to)
                let counters = try transaction.counters(Array(Set(blocks.flatMap(\.ids))))
                var rollup = RetentionRollup(tier: tier, from: from, to: to)
                for block in blocks { _ = rollup.add(ids: block.ids, data: block.data, counters: counters) }
                if let summary = rollup.block() {
                    try transaction.insert(node: node, tier: next, ids: summary.ids, block: summary.block)
                    step.summarised = 1
                }
            }
        }
        step.deleted = try transaction.deleteBlocks(node: node, tier: tier, endingBefore: to)
        try transaction.setMark(node: node, tier: tier, to: to)
        return step
    }

    /// Steps over `nodes` and every tier until nothing is due or `budget` steps are done; `step`
    /// runs one ``step(node:tier:policy:now:in:)`` in a transaction holding the node.
    static func pass<E: Error>(nodes: [String], budget: Int, step: (String, Tier) throws(E) -> Step?) throws(E) -> RetentionReport {
        var report = RetentionReport()
        for tier in Tier.allCases {
            for node in nodes {
                while true {
                    guard report.steps < budget else {
                        report.finished = false
                        return report
                    }
                    guard let done = try step(node, tier) else { break }
                    report.steps += 1
                    report.deletedBlocks += done.deleted
                    report.summarisedBlocks += done.summarised
                }
            }
        }
        return report
    }
}
