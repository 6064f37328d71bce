import EdgewatchCore
import NIOConcurrencyHelpers

/// The newest collection, shared between the collection loop and the HTTP endpoint.
public final class LatestSnapshot: Sendable {
    private let box = NIOLockedValueBox<MetricSnapshot?>(nil)
    private let lastCycleBox = NIOLockedValueBox<ContinuousClock.Instant?>(nil)

    public init() {}

    public var snapshot: MetricSnapshot? { box.withLockedValue { $0 } }

    /// When the last cycle finished (for the systemd watchdog and /healthz).
    public var lastCycle: ContinuousClock.Instant? { lastCycleBox.withLockedValue { $0 } }

    func update(_ snapshot: MetricSnapshot) {
        box.withLockedValue { $0 = snapshot }
        lastCycleBox.withLockedValue { $0 = ContinuousClock.now }
    }
}
