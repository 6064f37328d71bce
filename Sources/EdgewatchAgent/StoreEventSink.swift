import EdgewatchCore
import EdgewatchKubernetes

/// The Kubernetes source's sink: the agent's store, with the watch's resourceVersion kept in the
/// store's meta table and committed in the same flush as the occurrences it follows.
struct StoreEventSink: KubernetesEventSink {
    static let resourceVersionKey = "kubernetes.events.resource_version"

    let store: StoreService
    let now: @Sendable () -> Int64

    func record(_ events: [EventRecord], resourceVersion: String?) async {
        await store.record(events, metaKey: Self.resourceVersionKey, metaValue: resourceVersion, now: now())
    }

    func resourceVersion() async -> String? {
        await store.meta(Self.resourceVersionKey).flatMap { $0.isEmpty ? nil : $0 }
    }

    func knownCounts(since: Int64) async -> [String: Int64] {
        (try? await store.knownCounts(source: .kubernetes, since: since)) ?? [:]
    }
}
