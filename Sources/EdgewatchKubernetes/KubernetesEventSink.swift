import EdgewatchCore

/// Where the Kubernetes source puts what it observed (the agent's store): occurrences and the
/// resourceVersion they bring the watch to, committed together.
public protocol KubernetesEventSink: Sendable {
    /// Buffers `events` and, when given, the resourceVersion to resume from after them.
    func record(_ events: [EventRecord], resourceVersion: String?) async
    /// The stored resourceVersion (nil before the first list).
    func resourceVersion() async -> String?
    /// The highest stored count per Event uid among those recorded since `since` (ms).
    func knownCounts(since: Int64) async -> [String: Int64]
}
