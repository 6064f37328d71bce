#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One read(2) of at most a page, as sysfs and procfs attribute files are read: into a buffer
/// that is not zeroed first (only the bytes read(2) wrote are kept), retried on EINTR.
struct SingleRead {
    static let capacity = 4096

    /// The bytes read (empty on error).
    let bytes: [UInt8]
    /// read(2)'s result: the byte count, or -1 with `error` set.
    let count: Int
    let error: Int32

    /// Reads from the descriptor's offset, or with pread(2) from offset 0 when `positioned`.
    init(descriptor: Int32, positioned: Bool = false) {
        var count = 0
        var error: Int32 = 0
        bytes = [UInt8](unsafeUninitializedCapacity: Self.capacity) { storage, initialized in
            repeat {
                count = positioned ? pread(descriptor, storage.baseAddress, storage.count, 0) : read(descriptor, storage.baseAddress, storage.count)
            } while count < 0 && errno == EINTR
            if count < 0 { error = errno }
            initialized = max(0, count)
        }
        self.count = count
        self.error = error
    }

    /// A file that could not be opened: `error` is open(2)'s.
    init(failedOpen error: Int32) {
        bytes = []
        count = -1
        self.error = error
    }

    /// One read of `path` (``KeptFiles``): through the descriptor `kept` holds for it, else
    /// through the one `open` returns, which is kept afterwards when it can be.
    static func of(_ path: String, kept: KeptFiles?, perProcess: Bool, open: () -> Int32) -> SingleRead {
        if let kept, let again = kept.withDescriptor(path, SingleRead.again) { return again }
        let fd = open()
        if fd < 0 { return SingleRead(failedOpen: errno) }
        let result = SingleRead(descriptor: fd)
        if result.isGone || kept?.keep(path, descriptor: fd, perProcess: perProcess) != true { close(fd) }
        return result
    }

    /// A kept descriptor read again from the start; nil when the file is gone (its cgroup,
    /// device or process removed). Other errors (a link's `speed` while it is down) are answers.
    static func again(_ descriptor: Int32) -> SingleRead? {
        let result = SingleRead(descriptor: descriptor, positioned: true)
        return result.isGone ? nil : result
    }

    /// Whether the read failed because the file no longer exists as it was opened.
    var isGone: Bool {
        count < 0 && [ENODEV, ENOENT, ESTALE, ESRCH, EBADF, EIO].contains(error)
    }

    /// Whether the file may hold more than was read (the buffer came back full).
    var filledBuffer: Bool { count == Self.capacity }

    /// The bytes as text, trimmed of surrounding whitespace and NUL bytes.
    var trimmedText: String { TextScanning.trimmed(String(decoding: bytes, as: UTF8.self)) }
}
