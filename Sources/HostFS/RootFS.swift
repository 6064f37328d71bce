/// The host's root filesystem below an injected mount point (default `/`), for files such as
/// `/etc/os-release` and for the mount points the filesystem collector measures.
public struct RootFS: Sendable, Hashable {
    public let tree: FileTree

    public init(root: String = "/") {
        tree = FileTree(root: root)
    }

    /// `path` as seen from inside the root: the root prefix removed (node_exporter's rootfs strip).
    public func strip(_ path: String) -> String {
        guard !tree.root.isEmpty, path.hasPrefix(tree.root) else { return path }
        let rest = String(path.dropFirst(tree.root.count))
        return rest.isEmpty ? "/" : rest
    }
}
