#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file read front to back in chunks (`path == "-"` reads standard input).
public final class InputFile {
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// Bytes returned by ``read(into:)`` so far.
    public private(set) var offset: Int64 = 0

    public init(path: String) throws(BundleError) {
        self.path = path
        if path == "-" {
            descriptor = 0
            ownsDescriptor = false
        } else {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw BundleError.io(path: path, reason: String(cString: strerror(errno))) }
            ownsDescriptor = true
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    /// Fills up to `buffer.count` bytes; 0 at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(BundleError) -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 {
                if errno == EINTR { continue }
                throw BundleError.io(path: path, reason: String(cString: strerror(errno)))
            }
            offset += Int64(count)
            return count
        }
    }

    /// The file's size in bytes (nil for a pipe).
    public func size() -> Int64? {
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int64(info.st_size)
    }
}
