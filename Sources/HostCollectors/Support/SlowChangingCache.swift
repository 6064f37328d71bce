import Synchronization

/// Values that rarely change (interface identity, udev properties, …) kept between cycles of a
/// long-running collection and re-read every `refreshCycles` cycles, so a daemon does not pay
/// the system calls for them every cycle. A fresh cache (as `collect --once` has) reads everything.
public final class SlowChangingCache: Sendable {
    private let state = Mutex<(cycle: Int, entries: [String: (cycle: Int, value: String?)])>((0, [:]))
    /// How many cycles a value is reused before it is read again (at least 1).
    public let refreshCycles: Int

    public init(refreshCycles: Int = 30) {
        self.refreshCycles = max(1, refreshCycles)
    }

    /// Marks the start of a collection cycle.
    public func nextCycle() {
        state.withLock { $0.cycle += 1 }
    }

    /// The cached value for `key`, or `read()`'s result (cached, nil included).
    public func value(_ key: String, read: () -> String?) -> String? {
        let cached: String?? = state.withLock { state in
            guard let entry = state.entries[key], state.cycle - entry.cycle < refreshCycles else { return .none }
            return .some(entry.value)
        }
        if let cached { return cached }
        let fresh = read()
        state.withLock { $0.entries[key] = ($0.cycle, fresh) }
        return fresh
    }

    /// True the first time `key` is seen, and again once every `refreshCycles` cycles: for
    /// messages that would otherwise repeat every cycle.
    public func isDue(_ key: String) -> Bool {
        var due = false
        _ = value(key) {
            due = true
            return ""
        }
        return due
    }

    /// Forgets entries not refreshed for a long time (vanished interfaces or disks); does the
    /// work once per refresh period, not every cycle.
    public func prune() {
        state.withLock { state in
            let cycle = state.cycle
            guard cycle % refreshCycles == 0 else { return }
            state.entries = state.entries.filter { cycle - $0.value.cycle < 4 * refreshCycles }
        }
    }
}
