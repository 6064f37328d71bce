import EdgewatchCore

/// The event watch's state: the resourceVersion to resume from and the highest count seen per
/// Event uid, so a relist, a replayed watch or a restart records each rise of a count once.
/// Memory stays bounded: counts of events not seen for ``retentionMilliseconds`` are dropped
/// (Kubernetes keeps Events an hour), and at most ``capacity`` are kept.
struct EventReflector: Sendable {
    let node: String
    let scope: EventScope
    var resourceVersion: String?
    private(set) var known: [String: (count: Int64, seen: Int64)] = [:]
    private var sincePrune = 0
    /// Events about pods the pod watch does not know yet (its stream may lag the event stream:
    /// the scheduler's `Scheduled` can arrive before the pod's binding), judged again as the pod
    /// index changes, dropped after ``deferMilliseconds``.
    private(set) var deferred: [(event: KubernetesObject, until: Int64)] = []
    static let deferMilliseconds: Int64 = 30_000
    static let maxDeferred = 1_000

    static let retentionMilliseconds: Int64 = 3 * 3_600_000
    static let capacity = 200_000

    init(node: String, scope: EventScope, known: [String: Int64], resourceVersion: String?, now: Int64) {
        self.node = node
        self.scope = scope
        self.resourceVersion = resourceVersion
        for (uid, count) in known { self.known[uid] = (count, now) }
    }

    /// Judges one Event (a list item, or an ADDED/MODIFIED object): the occurrence to record
    /// when it is in scope and its count rose, else nil.
    mutating func observe(_ event: KubernetesObject, pods: PodIndex, now: Int64) -> EventRecord? {
        guard inScope(event, pods: pods) else {
            if scope == .node, KubernetesEventMapping.object(event)?.kind == "Pod" {
                if deferred.count >= Self.maxDeferred { deferred.removeFirst() }
                deferred.append((event, now + Self.deferMilliseconds))
            }
            return nil
        }
        guard let uid = event.metadata?.uid else { return nil }
        let previous = known[uid]?.count ?? 0
        guard let occurrence = KubernetesEventMapping.occurrence(event, previous: previous, node: node, now: now) else {
            if previous > 0 { known[uid]?.seen = now }
            return nil
        }
        known[uid] = (occurrence.count, now)
        sincePrune += 1
        if sincePrune >= 1_000 || known.count > Self.capacity { prune(now: now) }
        return occurrence
    }

    /// Deferred events whose pod is now bound here, as occurrences; expired ones are dropped.
    mutating func retryDeferred(pods: PodIndex, now: Int64) -> [EventRecord] {
        guard !deferred.isEmpty else { return [] }
        let waiting = deferred
        deferred = []
        var found: [EventRecord] = []
        for entry in waiting {
            if inScope(entry.event, pods: pods) {
                if let occurrence = observe(entry.event, pods: pods, now: now) { found.append(occurrence) }
            } else if entry.until > now {
                deferred.append(entry)
            }
        }
        return found
    }

    /// Whether the event concerns this node (always, in cluster scope).
    func inScope(_ event: KubernetesObject, pods: PodIndex) -> Bool {
        if scope == .cluster { return true }
        if KubernetesEventMapping.reportingHosts(event).contains(node) { return true }
        guard let object = KubernetesEventMapping.object(event) else { return false }
        switch object.kind {
        case "Node": return object.name == node
        case "Pod": return pods.contains(uid: object.uid, namespace: object.namespace, name: object.name)
        default: return false
        }
    }

    private mutating func prune(now: Int64) {
        sincePrune = 0
        known = known.filter { now - $0.value.seen <= Self.retentionMilliseconds }
        if known.count > Self.capacity {
            let keep = known.sorted { $0.value.seen > $1.value.seen }.prefix(Self.capacity / 2)
            known = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
