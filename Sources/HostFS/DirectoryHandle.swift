#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open directory for reading many small files in it with openat(2): the kernel walks the
/// directory's path once instead of once per file (a third cheaper per sysfs attribute).
public final class DirectoryHandle {
    private let descriptor: Int32
    /// The directory's absolute path, for messages.
    public let path: String
    /// The tree's kept descriptors (``FileTree/kept``).
    private let kept: KeptFiles?
    /// Whether the directory is below a process's own in procfs (``FileTree/isPerProcess(_:)``).
    private let perProcess: Bool

    /// Opens `relative` below `tree`; throws when it is missing or not a directory.
    public init(_ tree: FileTree, _ relative: String) throws(FileSystemError) {
        path = tree.path(relative)
        kept = tree.kept
        perProcess = FileTree.isPerProcess(relative)
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor < 0 { throw FileSystemError.from(errno: errno, path: path) }
    }

    deinit { close(descriptor) }

    /// A one-value file in this directory, trimmed; nil when absent, unreadable or larger than a page.
    public func value(_ name: String) -> String? {
        let result = SingleRead.of(path + "/" + name, kept: kept, perProcess: perProcess) {
            openat(descriptor, name, O_RDONLY | O_CLOEXEC)
        }
        guard result.count >= 0, !result.filledBuffer else { return nil }
        return result.trimmedText
    }
}
