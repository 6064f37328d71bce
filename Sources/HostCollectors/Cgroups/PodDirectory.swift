import Synchronization

/// Pod and container names learned elsewhere (the agent's pod watch on the apiserver), shared
/// with the collectors: a container gets its pod's name even before kubelet's log trees exist.
/// The log trees still win where both know a name.
public final class PodDirectory: Sendable {
    private let names = Mutex(PodNames())

    public init() {}

    /// Replaces the known names.
    public func update(_ update: PodNames) { names.withLock { $0 = update } }

    /// `local` (from the log trees) completed with the names known here.
    func merged(with local: PodNames) -> PodNames {
        var result = names.withLock { $0 }
        result.pods.merge(local.pods) { _, fromLogs in fromLogs }
        result.containers.merge(local.containers) { _, fromLogs in fromLogs }
        return result
    }
}
