import HostFS

/// Pod and container names without the apiserver, from the log trees kubelet keeps:
/// `/var/log/pods/<namespace>_<pod>_<uid>/<container>/` and
/// `/var/log/containers/<pod>_<namespace>_<container>-<container id>.log`.
public struct PodNames: Sendable {
    public var pods: [String: (namespace: String, pod: String)] = [:]
    public var containers: [String: String] = [:]

    public init() {}

    /// Reads both trees below `rootfs`, completed with what `directory` knows; missing trees give
    /// no names (ids are reported instead).
    static func read(_ rootfs: FileTree, directory: PodDirectory?) -> PodNames {
        let local = read(rootfs)
        return directory?.merged(with: local) ?? local
    }

    /// Reads both trees below `rootfs`; missing trees give no names (ids are reported instead).
    public static func read(_ rootfs: FileTree) -> PodNames {
        var names = PodNames()
        for entry in (try? rootfs.list("var/log/pods")) ?? [] where entry.kind != .file {
            let parts = entry.name.split(separator: "_")
            guard parts.count == 3 else { continue }
            names.pods[String(parts[2])] = (String(parts[0]), String(parts[1]))
        }
        for entry in (try? rootfs.list("var/log/containers")) ?? [] where entry.name.hasSuffix(".log") {
            let base = entry.name.dropLast(4)
            guard let dash = base.lastIndex(of: "-") else { continue }
            let id = String(base[base.index(after: dash)...])
            let parts = base[..<dash].split(separator: "_")
            guard parts.count == 3, id.count == 64 else { continue }
            names.containers[id] = String(parts[2])
        }
        return names
    }
}
