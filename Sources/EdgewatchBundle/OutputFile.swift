import EdgewatchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A file written front to back through a 64 KiB buffer; ``finish()`` flushes and fsyncs.
/// Standard output (`path == "-"`) is written through the same buffer and never fsynced.
public final class OutputFile {
    public let path: String
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let ownsDescriptor: Bool
    /// Bytes handed to ``write(_:)`` so far.
    public private(set) var written: Int64 = 0
    /// SHA-256 of everything written, when asked for at creation.
    public private(set) var digest: SHA256?

    /// Creates `path` (mode 0644); `exclusive` refuses an existing file.
    public init(creating path: String, exclusive: Bool, hashing: Bool = false, mode: mode_t = 0o644) throws(BundleError) {
        self.path = path
        digest = hashing ? SHA256() : nil
        if path == "-" {
            descriptor = 1
            ownsDescriptor = false
        } else {
            let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
            descriptor = open(path, flags, mode)
            guard descriptor >= 0 else { throw BundleError.io(path: path, reason: String(cString: strerror(errno))) }
            ownsDescriptor = true
        }
        buffer.reserveCapacity(1 << 16)
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(BundleError) {
        written += Int64(bytes.count)
        digest?.update(bytes)
        if buffer.count + bytes.count > 1 << 16 { try flush() }
        if bytes.count >= 1 << 16 {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    public func write(_ bytes: [UInt8]) throws(BundleError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(BundleError) in try write(raw) } }.get()
    }

    public func write(_ text: String) throws(BundleError) {
        var text = text
        try text.withUTF8 { raw in Result { () throws(BundleError) in try write(UnsafeRawBufferPointer(raw)) } }.get()
    }

    /// Writes what is buffered, then (for a file) fsyncs it.
    public func finish() throws(BundleError) {
        try flush()
        guard ownsDescriptor else { return }
        guard fsync(descriptor) == 0 else { throw BundleError.io(path: path, reason: "fsync: \(String(cString: strerror(errno)))") }
    }

    private func flush() throws(BundleError) {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in Result { () throws(BundleError) in try writeAll(raw) } }.get()
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(BundleError) {
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if count < 0 {
                if errno == EINTR { continue }
                throw BundleError.io(path: path, reason: String(cString: strerror(errno)))
            }
            offset += count
        }
    }
}
