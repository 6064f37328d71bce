import EdgewatchCore
import EdgewatchStore
import Synchronization

/// The newest collection, shared between the collection loop and the HTTP endpoint. The agent's
/// own `edgewatch_*` families are added when `/metrics` is read, not every cycle: a cycle only
/// stores what it collected and the store's counters.
public final class LatestSnapshot: Sendable {
    private let box = Mutex<(snapshot: MetricSnapshot, store: StoreStatistics, events: EventTotals)?>(nil)
    private let lastCycleBox = Mutex<ContinuousClock.Instant?>(nil)
    private let metrics: AgentMetrics?
    private let rules: RuleStatus?

    public init(metrics: AgentMetrics? = nil, rules: RuleStatus? = nil) {
        self.metrics = metrics
        self.rules = rules
    }

    /// The newest collection with the agent's own metrics as of now, families sorted by name.
    public var snapshot: MetricSnapshot? {
        guard let latest = box.withLock({ $0 }) else { return nil }
        guard let metrics else { return latest.snapshot }
        var snapshot = latest.snapshot
        snapshot.families += metrics.families(store: latest.store, events: latest.events, rules: rules)
        snapshot.families.sort { $0.name < $1.name }
        return snapshot
    }

    /// When the last cycle finished (for the systemd watchdog and /healthz).
    public var lastCycle: ContinuousClock.Instant? { lastCycleBox.withLock { $0 } }

    func update(_ snapshot: MetricSnapshot, store: StoreStatistics = StoreStatistics(), events: EventTotals = EventTotals()) {
        box.withLock { $0 = (snapshot, store, events) }
        lastCycleBox.withLock { $0 = ContinuousClock.now }
    }
}
