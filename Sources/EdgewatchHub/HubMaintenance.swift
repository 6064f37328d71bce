import EdgewatchEncoding

/// What the hub's background upkeep (compaction and retention) needs from a backend, inside one
/// transaction that holds the node (no ingest of the node's batches runs beside it).
protocol HubMaintenance {
    associatedtype Failure: Error

    /// Where the node's upkeep of `kind` (``HubMaintenanceKind``) has got to; nil before the first step.
    func mark(node: String, kind: String) throws(Failure) -> Int64?
    func setMark(node: String, kind: String, to: Int64) throws(Failure)
    /// The start of the node's first block of `tier` of that `kind` that ends at or after `from`; nil when none.
    func firstBlockStart(node: String, tier: Tier, endingFrom from: Int64, of kind: StoredBlockKind) throws(Failure) -> Int64?
    /// The node's first batch block of `tier` (by id, after `after`, not deferred) that ends before
    /// `before`: one that arrived after compaction passed its period. Its id and start; nil when none.
    func lateBatch(node: String, tier: Tier, endingBefore before: Int64, after: Int64) throws(Failure) -> (id: Int64, start: Int64)?
    /// The node's blocks of `tier` of that `kind` reaching into `[from, to)`, oldest first; without
    /// `contents`, their spans only (series and data left empty, not read).
    func blocks(node: String, tier: Tier, from: Int64, to: Int64, of kind: StoredBlockKind, contents: Bool) throws(Failure) -> [StoredSpan]
    func hasBlocks(node: String, tier: Tier, from: Int64, to: Int64) throws(Failure) -> Bool
    /// The names of hub series, and which of them are counters.
    func describe(_ ids: [Int64]) throws(Failure) -> (names: [Int64: String], counters: Set<Int64>)
    /// Those of the blocks that wait in a remote_write queue.
    func queued(_ blocks: [Int64]) throws(Failure) -> Set<Int64>
    /// Notes batch blocks compaction left as they are while they wait in a remote_write queue.
    func deferCompaction(node: String, tier: Tier, blocks: [Int64]) throws(Failure)
    /// The node's oldest deferred block of `tier` no longer queued anywhere: its id and start; nil when none.
    func nextDeferred(node: String, tier: Tier) throws(Failure) -> (id: Int64, start: Int64)?
    /// Forgets deferred blocks (rewritten, or looked at again).
    func undefer(_ blocks: [Int64]) throws(Failure)
    /// Stores a block of one metric's series (`name`), not queued for remote_write.
    func insert(node: String, tier: Tier, name: String, ids: [Int64], block: Block) throws(Failure)
    /// Deletes blocks by id; returns how many.
    func delete(_ blocks: [Int64]) throws(Failure) -> Int
    /// Deletes the node's blocks of `tier` that end before `before`; a block still in a remote_write
    /// queue moves to that target's refusals as expired at `now`. Returns how many blocks were
    /// deleted and how many queue places expired.
    func deleteBlocks(node: String, tier: Tier, endingBefore before: Int64, at now: Int64) throws(Failure) -> (deleted: Int, expired: Int)
    /// The node's ``SeriesPresence`` rows of the hour starting at `hour`; nil for one whose list does not decode.
    func presence(node: String, hour: Int64) throws(Failure) -> [SeriesPresence.Row?]
    /// Replaces the node's presence rows of `row`'s hour with `row`.
    func replacePresence(node: String, with row: SeriesPresence.Row) throws(Failure)
    /// The ids of the series held by the node's blocks of `tier` that end in `[from, to)`.
    func seriesIDs(node: String, tier: Tier, endingFrom from: Int64, before to: Int64) throws(Failure) -> Set<Int64>
    /// Deletes those of `candidates` (series of `node`) that none of the node's blocks holds any
    /// more; returns them. Called with the node held, so no batch of it names one meanwhile.
    func pruneSeries(node: String, candidates: Set<Int64>) throws(Failure) -> [PrunedSeries]
}

/// A stored block as upkeep reads it (`ids` and `data` empty when read without contents).
struct StoredSpan {
    var id: Int64
    var minTimestamp: Int64
    var maxTimestamp: Int64
    var ids: [Int64]
    var data: [UInt8]
}

/// Which of a node's blocks upkeep reads: batches' (every series of a window), compaction's (one
/// metric each, named), or both.
enum StoredBlockKind: Int64 {
    case all = 0
    case batches = 1
    case metrics = 2
}

/// The marks' kinds: retention's per tier, compaction's per tier.
enum HubMaintenanceKind {
    static func retention(_ tier: Tier) -> String { "retention/" + tier.name }
    /// The tier a retention mark's kind names; nil for any other kind.
    static func retentionTier(_ kind: String) -> Tier? { Tier.allCases.first { retention($0) == kind } }
    static func compaction(_ tier: Tier) -> String { "compaction/" + tier.name }
}

/// Aligns down to a multiple of `period` (negative times included; `Int64.min` for a time
/// within a period of it, whose multiple does not fit).
func alignDown(_ time: Int64, _ period: Int64) -> Int64 {
    let (quotient, remainder) = time.quotientAndRemainder(dividingBy: period)
    let (start, overflow) = (remainder < 0 ? quotient - 1 : quotient).multipliedReportingOverflow(by: period)
    return overflow ? .min : start
}

/// Passes of upkeep steps over nodes and tiers, bounded by a budget.
enum HubMaintenancePass {
    struct Step: Equatable {
        var deleted = 0
        var written = 0
        /// Places in remote_write queues whose blocks retention deleted before they were sent.
        var expired = 0
        /// Series deleted with the last blocks that held them.
        var pruned: [PrunedSeries] = []
    }

    /// The reason an expired queue place is kept under in the target's refusals.
    static let expiredReason = "expired: retention deleted the block before the target took it"

    /// Steps over `nodes` and `tiers` until nothing is due or `budget` steps are done; `step` runs
    /// one step in a transaction holding the node. Nodes take turns, a step each per round (those
    /// with nothing due drop out), so one node's long backlog (hours after an outage, an upgraded
    /// hub's history) never holds back the others' periods due now.
    static func run<E: Error>(nodes: [String], tiers: [Tier], budget: Int, step: (String, Tier) throws(E) -> Step?) throws(E) -> RetentionReport {
        var report = RetentionReport()
        for tier in tiers {
            var due = nodes
            while !due.isEmpty {
                var next: [String] = []
                for node in due {
                    guard report.steps < budget else {
                        report.finished = false
                        return report
                    }
                    guard let done = try step(node, tier) else { continue }
                    next.append(node)
                    report.steps += 1
                    report.deletedBlocks += done.deleted
                    report.summarisedBlocks += done.written
                    report.expiredQueuedBlocks += done.expired
                    report.prunedSeries += done.pruned.count
                }
                due = next
            }
        }
        return report
    }
}
