/// Which slots the uplink sends next: a pure state machine over slot indexes.
///
/// Slots are fixed, epoch-aligned spans (`index × slot width`); a window is a whole number of
/// slots. The newest complete slot goes first, on its own ("live"), so the hub is at most about
/// a slot behind; slots skipped while the link was down form the backlog, sent oldest first
/// behind the live edge, a whole window per batch where the window is wholly owed, else slot by
/// slot. Every batch is keyed by its first slot and its width, so the same data always gets the
/// same key: a step once chosen stays ``inflight`` (persisted before it is sent) until the hub
/// acknowledged it (or refused it for good), so slots sent alone never go up again inside a window.
struct UplinkPlan: Equatable, Sendable {
    /// The next live slot not yet acknowledged; nil before the first decision.
    var liveNext: Int64?
    /// Disjoint ranges `[from, to)` of slot indexes still owed, oldest first. Ranges are never
    /// merged across slots already delivered: a window is sent whole only when one range holds it.
    var backlog: [Range<Int64>] = []
    /// On a first start, the first slot not yet covered by an earlier stream (another width).
    var resumeFrom: Int64?
    /// The step chosen and not yet acknowledged: repeated, unchanged, until it is.
    var inflight: Step?

    enum Step: Equatable, Sendable {
        case live(Int64)
        /// `slots` slots from `first`: 1, or a whole window.
        case backfill(Int64, slots: Int64)
        case idle

        /// The first slot and the number of slots, nil for idle.
        var span: (first: Int64, slots: Int64)? {
            switch self {
            case .live(let first): (first, 1)
            case .backfill(let first, let slots): (first, slots)
            case .idle: nil
            }
        }
    }

    /// Chooses the next step given the newest complete slot, the oldest slot the store still holds
    /// and the slots per window; the step is kept as ``inflight``.
    mutating func next(newestComplete: Int64, oldestAvailable: Int64, windowSlots: Int64 = 1) -> Step {
        if let inflight { return inflight }
        let step = choose(newestComplete: newestComplete, oldestAvailable: oldestAvailable, windowSlots: max(windowSlots, 1))
        if step != .idle { inflight = step }
        return step
    }

    private mutating func choose(newestComplete: Int64, oldestAvailable: Int64, windowSlots: Int64) -> Step {
        guard newestComplete >= 0 else { return .idle }
        if liveNext == nil {
            // First start: everything the store holds is owed; the newest goes first.
            liveNext = newestComplete
            let first = max(oldestAvailable, resumeFrom ?? oldestAvailable)
            if first < newestComplete { addBacklog(first..<newestComplete) }
        }
        guard let live = liveNext else { return .idle }
        if live < newestComplete {
            // Slots passed while sending was blocked: they join the backlog, the newest goes now.
            addBacklog(live..<newestComplete)
            liveNext = newestComplete
        }
        if let next = liveNext, next <= newestComplete { return .live(next) }
        // Backlog slots the store no longer holds at any tier are gone (recorded as gaps by the store).
        backlog = backlog.compactMap { range in
            let lower = max(range.lowerBound, oldestAvailable)
            return lower < range.upperBound ? lower..<range.upperBound : nil
        }
        guard let range = backlog.first else { return .idle }
        let first = range.lowerBound
        let aligned = (first % windowSlots + windowSlots) % windowSlots == 0
        return .backfill(first, slots: aligned && first + windowSlots <= range.upperBound ? windowSlots : 1)
    }

    /// Records that `step` was acknowledged (or dead-lettered).
    mutating func completed(_ step: Step) {
        if inflight == step { inflight = nil }
        switch step {
        case .live(let index): liveNext = index + 1
        case .backfill(let index, let slots):
            if let range = backlog.first, range.lowerBound == index {
                if index + slots < range.upperBound {
                    backlog[0] = (index + slots)..<range.upperBound
                } else {
                    backlog.removeFirst()
                }
            }
        case .idle: break
        }
    }

    /// Drops the owed slots of the oldest backlog range before `slot`: the store holds nothing there
    /// (a clock step forward leaves a long empty stretch, not worth a batch per slot).
    mutating func skipBacklog(before slot: Int64) {
        guard inflight == nil, let range = backlog.first, slot > range.lowerBound else { return }
        if slot < range.upperBound {
            backlog[0] = slot..<range.upperBound
        } else {
            backlog.removeFirst()
        }
    }

    /// Whether nothing is owed up to slot `last` (nil: there is nothing to send at all).
    func isFinished(through last: Int64?) -> Bool {
        guard inflight == nil, backlog.isEmpty else { return false }
        guard let last else { return true }
        return (liveNext ?? .min) > last
    }

    var backlogCount: Int64 { backlog.reduce(0) { $0 + $1.upperBound - $1.lowerBound } }

    /// Adds owed slots, joining ranges that touch or overlap (slots between two ranges were delivered).
    private mutating func addBacklog(_ range: Range<Int64>) {
        guard !range.isEmpty else { return }
        var merged = range
        var kept: [Range<Int64>] = []
        for existing in backlog {
            if existing.upperBound < merged.lowerBound || existing.lowerBound > merged.upperBound {
                kept.append(existing)
            } else {
                merged = min(existing.lowerBound, merged.lowerBound)..<max(existing.upperBound, merged.upperBound)
            }
        }
        kept.append(merged)
        backlog = kept.sorted { $0.lowerBound < $1.lowerBound }
    }
}
