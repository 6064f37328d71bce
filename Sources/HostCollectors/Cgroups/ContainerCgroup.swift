/// A cgroup edgewatch reports on, classified from its path.
public struct ContainerCgroup: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The kubepods root (all pods).
        case kubepods
        /// A QoS class slice (burstable, besteffort).
        case qosClass
        /// A pod's cgroup.
        case pod
        /// A container inside a pod.
        case container
        /// A systemd service of the node (k3s.service, containerd.service …).
        case systemService
    }

    /// The path relative to the hierarchy root, as cAdvisor's `id` label: `/kubepods/burstable/pod<uid>/<id>`.
    public var id: String
    public var kind: Kind
    /// The pod UID with dashes (`7d9f2a3c-1b2e-…`), for pods and containers.
    public var podUID: String?
    /// The container id (64 hex digits), for containers.
    public var containerID: String?
}

/// Recognises kubelet's cgroup names for both cgroup drivers.
public enum KubepodsNaming {
    /// `kubepods-burstable-pod7d9f2a3c_1b2e_….slice` or `pod7d9f2a3c-1b2e-…` → the UID with dashes.
    public static func podUID(_ name: String) -> String? {
        var body = Substring(name)
        if body.hasSuffix(".slice") {
            body = body.dropLast(6)
            guard let range = body.ranges(of: "-pod").last else { return nil }
            body = body[range.upperBound...]
        } else {
            guard body.hasPrefix("pod") else { return nil }
            body = body.dropFirst(3)
        }
        let uid = body.replacingUnderscores()
        return uid.count >= 32 && uid.allSatisfy({ $0.isHexDigit || $0 == "-" }) ? uid : nil
    }

    /// `cri-containerd-<id>.scope`, `crio-<id>.scope`, `docker-<id>.scope` or a bare `<id>` → the id.
    public static func containerID(_ name: String) -> String? {
        var body = Substring(name)
        if body.hasSuffix(".scope") {
            body = body.dropLast(6)
            guard let dash = body.lastIndex(of: "-") else { return nil }
            body = body[body.index(after: dash)...]
        }
        return body.count == 64 && body.allSatisfy(\.isHexDigit) ? String(body) : nil
    }

    /// Whether a directory name is a QoS-class level (`burstable`, `kubepods-besteffort.slice`).
    static func isQoSClass(_ name: String) -> Bool {
        ["burstable", "besteffort", "kubepods-burstable.slice", "kubepods-besteffort.slice"].contains(name)
    }
}

extension Substring {
    func replacingUnderscores() -> String { String(map { $0 == "_" ? "-" : $0 }) }
}
