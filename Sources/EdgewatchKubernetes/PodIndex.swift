/// The pods bound to this node, from a pods list+watch with `spec.nodeName=<node>`: by uid and by
/// namespace/name. A deleted pod is kept for a while, since its last events arrive after it.
public struct PodIndex: Sendable {
    public struct Pod: Sendable, Equatable {
        public var namespace: String
        public var name: String
    }

    private var byUID: [String: Pod] = [:]
    private var byName: [String: String] = [:]
    /// Container runtime id (without the `containerd://` scheme) → container name.
    public private(set) var containerNames: [String: String] = [:]
    private var containersOf: [String: [String]] = [:]
    /// uid → when the pod was deleted (ms).
    private var deleted: [String: Int64] = [:]
    /// How long a deleted pod still counts as this node's.
    static let retentionMilliseconds: Int64 = 3_600_000

    public init() {}

    public var count: Int { byUID.count }

    public func pod(uid: String) -> Pod? { byUID[uid] }

    /// Every known pod by uid.
    public var pods: [String: Pod] { byUID }

    /// Whether the pod (by uid, else namespace/name) is or was bound to this node.
    func contains(uid: String?, namespace: String?, name: String?) -> Bool {
        if let uid, !uid.isEmpty, byUID[uid] != nil { return true }
        guard let namespace, let name else { return false }
        return byName[namespace + "/" + name] != nil
    }

    mutating func apply(_ type: String, _ object: KubernetesObject, now: Int64) {
        guard let uid = object.metadata?.uid, let name = object.metadata?.name else { return }
        let namespace = object.metadata?.namespace ?? ""
        switch type {
        case "DELETED":
            deleted[uid] = now
        default:
            byUID[uid] = Pod(namespace: namespace, name: name)
            byName[namespace + "/" + name] = uid
            deleted[uid] = nil
            var ids: [String] = []
            for status in object.status?.containerStatuses ?? [] {
                guard let name = status.name, let full = status.containerID, let scheme = full.firstIndex(of: ":"),
                    full[scheme...].hasPrefix("://")
                else { continue }
                let id = String(full[full.index(scheme, offsetBy: 3)...])
                containerNames[id] = name
                ids.append(id)
            }
            if !ids.isEmpty { containersOf[uid, default: []] += ids }
        }
        prune(now: now)
    }

    /// After a relist: pods missing from it are treated as deleted now.
    mutating func replace(with objects: [KubernetesObject], now: Int64) {
        let listed = Set(objects.compactMap { $0.metadata?.uid })
        for uid in byUID.keys where !listed.contains(uid) && deleted[uid] == nil { deleted[uid] = now }
        for object in objects { apply("ADDED", object, now: now) }
    }

    private mutating func prune(now: Int64) {
        for (uid, time) in deleted where now - time > Self.retentionMilliseconds {
            if let pod = byUID.removeValue(forKey: uid), byName[pod.namespace + "/" + pod.name] == uid {
                byName[pod.namespace + "/" + pod.name] = nil
            }
            for id in containersOf.removeValue(forKey: uid) ?? [] { containerNames[id] = nil }
            deleted[uid] = nil
        }
    }
}
