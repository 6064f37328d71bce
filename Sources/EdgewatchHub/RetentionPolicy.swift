import EdgewatchEncoding

/// How long the hub keeps each tier (milliseconds; 0 keeps it for ever). Raw samples past their
/// time become 1 m summaries (unless the node sent its own for that span), 1 m summaries become
/// 1 h summaries, and 1 h summaries past theirs are deleted.
public struct RetentionPolicy: Sendable, Equatable {
    public var raw: Int64 = 15 * 86_400_000
    public var minute: Int64 = 90 * 86_400_000
    public var hour: Int64 = 3 * 365 * 86_400_000

    public init() {}

    public func keep(_ tier: Tier) -> Int64 {
        switch tier {
        case .raw: return raw
        case .minute: return minute
        case .hour: return hour
        }
    }

    /// The span one step of the work handles for a node (one transaction): whole buckets of the
    /// next tier, so a summary is never made from part of its bucket.
    static func period(_ tier: Tier) -> Int64 {
        tier == .raw ? 600_000 : 3_600_000
    }

    /// Where `tier`'s data ends up being dropped or summarised at `now`: aligned down to the period.
    func cutoff(_ tier: Tier, now: Int64) -> Int64? {
        let keep = keep(tier)
        guard keep > 0 else { return nil }
        let period = Self.period(tier)
        let edge = now - keep
        return alignDown(edge, period)
    }
}

/// What a retention pass did.
public struct RetentionReport: Sendable, Equatable {
    /// Node spans handled (one transaction each).
    public var steps = 0
    public var deletedBlocks = 0
    /// Summary blocks made from the tier below.
    public var summarisedBlocks = 0
    /// Blocks deleted while still queued for a remote_write target (kept as its refusals).
    public var expiredQueuedBlocks = 0
    /// Series deleted once retention had deleted the last blocks (1 h summaries) that held them.
    public var prunedSeries = 0
    /// False when the pass stopped at its budget with more due (the next pass goes on at once).
    public var finished = true

    public init() {}
}
