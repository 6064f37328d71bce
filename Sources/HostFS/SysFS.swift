/// The sys filesystem below an injected mount point (default `/sys`).
public struct SysFS: Sendable, Hashable {
    public let tree: FileTree

    public init(root: String = "/sys") {
        tree = FileTree(root: root)
    }

    /// Over `tree` as it is (one keeping its kernel files open, say).
    public init(tree: FileTree) {
        self.tree = tree
    }
}
