/// One entry of a directory listing.
public struct DirectoryEntry: Hashable, Sendable {
    /// The kind of file, as reported by the directory (symlinks are not followed).
    public enum Kind: Sendable, Hashable {
        case file
        case directory
        case symlink
        case other
    }

    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}
