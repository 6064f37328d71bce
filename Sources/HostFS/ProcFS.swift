/// The proc filesystem below an injected mount point (default `/proc`).
public struct ProcFS: Sendable, Hashable {
    public let tree: FileTree

    public init(root: String = "/proc") {
        tree = FileTree(root: root)
    }
}
