import EdgewatchEncoding

/// Which tier is read for which part of the range: one tier when asked, or for `auto` the finest
/// tier the store still holds at each instant (raw for the recent part, then 1 m, then 1 h).
/// Ranges are in time order and do not overlap.
struct ResolutionPlan: Equatable {
    struct Span: Equatable {
        var tier: Tier
        var from: Int64
        var to: Int64
    }

    var spans: [Span]

    /// `oldest` gives the oldest timestamp the store holds at a tier (nil when none).
    init(resolution: ExportRequest.Resolution, from: Int64, to: Int64, oldest: (Tier) -> Int64?) {
        if let tier = resolution.tier {
            spans = [Span(tier: tier, from: from, to: to)]
            return
        }
        var result: [Span] = []
        // Where the finer tiers begin: a coarser bucket is used only when it ends before that.
        var finerStart: Int64?
        for tier in Tier.allCases {
            let upper = finerStart.map { $0 - max(1, tier.bucketMilliseconds) } ?? to
            guard upper >= from, let start = oldest(tier) else { continue }
            let lower = max(from, start)
            if lower <= upper { result.append(Span(tier: tier, from: lower, to: upper)) }
            finerStart = min(finerStart ?? lower, lower)
        }
        spans = result.reversed()
    }

    var tiers: [Tier] { spans.map(\.tier) }
}
