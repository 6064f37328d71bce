import EdgewatchCore
import Synchronization

/// The Kubernetes source's counters, shared between its service and the agent's `/metrics`.
public final class KubernetesMetrics: Sendable {
    public struct Snapshot: Sendable, Equatable {
        /// 1 while a watch stream is open.
        public var watching: Int64 = 0
        public var relists: Int64 = 0
        public var watchRestarts: Int64 = 0
        /// Lines skipped, by reason (`malformed`, `oversized`).
        public var skipped: [String: Int64] = [:]
        /// Failed requests, by kind (`unauthorized`, `forbidden`, `server`, `transport`).
        public var errors: [String: Int64] = [:]
        public var pods: Int64 = 0
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot { state.withLock { $0 } }

    func update(_ change: (inout Snapshot) -> Void) { state.withLock { change(&$0) } }

    /// The `edgewatch_kubernetes_*` families.
    public func add(to set: inout MetricSet) {
        let now = snapshot
        set.add("edgewatch_kubernetes_watch_up", "1 while the Kubernetes event watch is open.", .gauge, Double(now.watching))
        set.add("edgewatch_kubernetes_relists_total", "Full event lists (start, 410 Gone).", .counter, Double(now.relists))
        set.add("edgewatch_kubernetes_watch_restarts_total", "Watch streams opened again.", .counter, Double(now.watchRestarts))
        set.add("edgewatch_kubernetes_pods", "Pods bound to this node, as the pod watch sees them.", .gauge, Double(now.pods))
        for reason in ["malformed", "oversized"] {
            set.add(
                "edgewatch_kubernetes_skipped_total",
                "Watch lines skipped, by reason.",
                .counter,
                Double(now.skipped[reason] ?? 0),
                Labels([Label("reason", reason)])
            )
        }
        for kind in ["forbidden", "server", "transport", "unauthorized"] {
            set.add(
                "edgewatch_kubernetes_errors_total",
                "Failed apiserver requests, by kind.",
                .counter,
                Double(now.errors[kind] ?? 0),
                Labels([Label("kind", kind)])
            )
        }
    }
}
