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

    /// Opens `relative` below `tree`; throws when it is missing or not a directory.
    public init(_ tree: FileTree, _ relative: String) throws(FileSystemError) {
        path = tree.path(relative)
        descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if descriptor < 0 { throw FileSystemError.from(errno: errno, path: path) }
    }

    deinit { close(descriptor) }

    /// A one-value file in this directory, trimmed; nil when absent, unreadable or larger than a page.
    public func value(_ name: String) -> String? {
        let fd = openat(descriptor, name, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        var count = 0
        // Not zeroed first: only the bytes read(2) wrote are kept.
        let buffer = [UInt8](unsafeUninitializedCapacity: 4096) { storage, initialized in
            repeat {
                count = read(fd, storage.baseAddress, storage.count)
            } while count < 0 && errno == EINTR
            initialized = max(0, count)
        }
        guard count >= 0, count < 4096 else { return nil }
        return TextScanning.trimmed(String(decoding: buffer, as: UTF8.self))
    }
}
