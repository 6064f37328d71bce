/// The proc filesystem below an injected mount point (default `/proc`).
public struct ProcFS: Sendable, Hashable {
    public let tree: FileTree

    public init(root: String = "/proc") {
        tree = FileTree(root: root)
    }

    /// Over `tree` as it is (one keeping its kernel files open, say).
    public init(tree: FileTree) {
        self.tree = tree
    }
}
