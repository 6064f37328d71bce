import EdgewatchCore
import Synchronization

/// The newest collection, shared between the collection loop and the HTTP endpoint.
public final class LatestSnapshot: Sendable {
    private let box = Mutex<MetricSnapshot?>(nil)
    private let lastCycleBox = Mutex<ContinuousClock.Instant?>(nil)

    public init() {}

    public var snapshot: MetricSnapshot? { box.withLock { $0 } }

    /// When the last cycle finished (for the systemd watchdog and /healthz).
    public var lastCycle: ContinuousClock.Instant? { lastCycleBox.withLock { $0 } }

    func update(_ snapshot: MetricSnapshot) {
        box.withLock { $0 = snapshot }
        lastCycleBox.withLock { $0 = ContinuousClock.now }
    }
}
