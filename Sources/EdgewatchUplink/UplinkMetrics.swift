import EdgewatchCore
import Synchronization

/// The uplink's counters, shared between its service and the agent's `/metrics`.
public final class UplinkMetrics: Sendable {
    /// One consistent reading of the counters.
    public struct Snapshot: Sendable, Equatable {
        public var batches: Int64 = 0
        public var bytes: Int64 = 0
        public var samples: Int64 = 0
        public var failures: Int64 = 0
        public var backlogWindows: Int64 = 0
        public var lagSeconds: Double = 0
        public var deadLetters: Int64 = 0
        public var downgrades: Int64 = 0
        /// 1 once the uplink stopped for good (its state could not be read); the log says why.
        public var stopped: Int64 = 0
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) {
        state.withLock { change(&$0) }
    }

    /// The `edgewatch_uplink_*` families.
    public func add(to set: inout MetricSet) {
        let up = snapshot
        set.add("edgewatch_uplink_batches_total", "Batches the hub acknowledged.", .counter, Double(up.batches))
        set.add("edgewatch_uplink_bytes_total", "Compressed bytes the hub acknowledged.", .counter, Double(up.bytes))
        set.add("edgewatch_uplink_samples_total", "Samples in acknowledged batches.", .counter, Double(up.samples))
        set.add("edgewatch_uplink_failures_total", "Send attempts that failed or were asked to retry.", .counter, Double(up.failures))
        set.add("edgewatch_uplink_backlog_windows", "Windows still owed to the hub behind the live edge.", .gauge, Double(up.backlogWindows))
        set.add(
            "edgewatch_uplink_lag_seconds",
            "Age of the newest acknowledged window's end relative to the newest committed cycle.",
            .gauge,
            up.lagSeconds
        )
        set.add("edgewatch_uplink_dead_letters", "Batches the hub refused for good (kept with the reason).", .gauge, Double(up.deadLetters))
        set.add(
            "edgewatch_uplink_downgraded_windows",
            "Backlog windows sent at a coarser tier because the finer one was evicted.",
            .gauge,
            Double(up.downgrades)
        )
        set.add(
            "edgewatch_uplink_stopped",
            "1 when the uplink stopped because its cursor could not be read (see the log).",
            .gauge,
            Double(up.stopped)
        )
    }
}
