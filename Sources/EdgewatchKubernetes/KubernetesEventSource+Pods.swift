import EdgewatchCore
import FoundationEssentials
import ServiceLifecycle
import Synchronization

/// The pods bound to this node, for scope `node`: listed, then watched, relisted on 410.
extension KubernetesEventSource {
    func podLoop(_ client: KubernetesClient, pods: PodIndexBox, synced: AsyncStream<Void>.Continuation) async {
        let base = "/api/v1/pods?fieldSelector=" + Self.percentEncoded("spec.nodeName=" + settings.node)
        var version: String?
        var backoff = Backoff(base: 1_000, cap: 30_000)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                if version == nil {
                    let list = try await client.list(base)
                    pods.update { $0.replace(with: list.items ?? [], now: now()) }
                    version = list.metadata?.resourceVersion
                    metrics.update { $0.pods = Int64(pods.current.count) }
                    podsChanged(pods.current)
                    synced.yield()
                    synced.finish()
                }
                try await client.watch(watchPath(base, from: version ?? "")) { bytes in
                    guard let line = WatchLine.parse(bytes) else { return }
                    if let failure = line.failure { throw failure }
                    if line.type != "BOOKMARK" {
                        pods.update { $0.apply(line.type, line.object, now: now()) }
                        podsChanged(pods.current)
                    }
                    version = line.object.metadata?.resourceVersion ?? version
                    metrics.update { $0.pods = Int64(pods.current.count) }
                } oversized: {
                }
                backoff.reset()
            } catch {
                guard await recover(from: error, resourceVersion: &version, backoff: &backoff, what: "pods") else { return }
            }
        }
    }
}

/// The pod index shared by the pod watch (writer) and the event watch (reader).
final class PodIndexBox: Sendable {
    private let index = Mutex(PodIndex())

    var current: PodIndex { index.withLock { $0 } }

    func update(_ change: (inout PodIndex) -> Void) { index.withLock { change(&$0) } }
}
