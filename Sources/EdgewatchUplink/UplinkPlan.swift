/// Which window the uplink sends next: a pure state machine over window indexes.
///
/// Windows are fixed, epoch-aligned spans (`index × width`), so a window always gets the same
/// idempotency key. The newest complete window goes first ("live"); windows skipped while the
/// link was down form the backlog, sent oldest first behind the live edge. A window leaves the
/// plan only when the hub acknowledged it (or rejected it for good).
struct UplinkPlan: Equatable, Sendable {
    /// The next live window not yet acknowledged; nil before the first decision.
    var liveNext: Int64?
    /// Backlog `[from, to)` of window indexes still owed, oldest first.
    var backlog: Range<Int64>?
    /// On a first start, the first window not yet covered by an earlier stream (another window width).
    var resumeFrom: Int64?

    enum Step: Equatable {
        case live(Int64)
        case backfill(Int64)
        case idle
    }

    /// Chooses the next window given the newest complete window and the oldest window the store still holds.
    mutating func next(newestComplete: Int64, oldestAvailable: Int64) -> Step {
        guard newestComplete >= 0 else { return .idle }
        if liveNext == nil {
            // First start: everything the store holds is owed; the newest goes first.
            liveNext = newestComplete
            let first = max(oldestAvailable, resumeFrom ?? oldestAvailable)
            if first < newestComplete { addBacklog(first..<newestComplete) }
        }
        guard let live = liveNext else { return .idle }
        if live < newestComplete {
            // Windows passed while sending was blocked: they join the backlog, the newest goes now.
            addBacklog(live..<newestComplete)
            liveNext = newestComplete
        }
        if let next = liveNext, next <= newestComplete { return .live(next) }
        // Backlog windows the store no longer holds at any tier are gone (recorded as gaps by the store).
        if let range = backlog, range.lowerBound < oldestAvailable {
            backlog = max(range.lowerBound, oldestAvailable) < range.upperBound ? max(range.lowerBound, oldestAvailable)..<range.upperBound : nil
        }
        if let range = backlog { return .backfill(range.lowerBound) }
        return .idle
    }

    /// Records that `step` was acknowledged (or dead-lettered).
    mutating func completed(_ step: Step) {
        switch step {
        case .live(let index): liveNext = index + 1
        case .backfill(let index):
            if let range = backlog, range.lowerBound == index {
                backlog = index + 1 < range.upperBound ? (index + 1)..<range.upperBound : nil
            }
        case .idle: break
        }
    }

    var backlogCount: Int64 { backlog.map { $0.upperBound - $0.lowerBound } ?? 0 }

    private mutating func addBacklog(_ range: Range<Int64>) {
        guard !range.isEmpty else { return }
        if let existing = backlog {
            // Merging may re-send windows already delivered between two outages; the hub drops them as duplicates.
            backlog = min(existing.lowerBound, range.lowerBound)..<max(existing.upperBound, range.upperBound)
        } else {
            backlog = range
        }
    }
}
