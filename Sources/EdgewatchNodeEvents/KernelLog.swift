import HostFS

#if canImport(Glibc)
import Glibc
#endif

/// Reads `/dev/kmsg` without blocking: each call returns the records written since the last
/// one. Records up to `after` (a sequence number stored by the previous run of this boot) are
/// skipped, so a restart does not report old lines again. Unreadable (no CAP_SYSLOG): empty.
public final class KernelLog {
    private var descriptor: Int32
    private var last: UInt64?

    public init(path: String = "/dev/kmsg", after: UInt64? = nil) {
        descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        last = after
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Whether the log could be opened.
    public var isOpen: Bool { descriptor >= 0 }

    /// The newest sequence number seen.
    public var lastSequence: UInt64? { last }

    /// Records written since the previous call (at most `limit`).
    public func read(limit: Int = 4096) -> [KernelLogRecord] {
        guard descriptor >= 0 else { return [] }
        var records: [KernelLogRecord] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while records.count < limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                // EPIPE: the ring overwrote records we had not read; go on from the oldest kept.
                if errno == EPIPE || errno == EINTR { continue }
                break  // EAGAIN: nothing more now
            }
            if count == 0 { break }
            let text = String(decoding: buffer[0..<count], as: UTF8.self)
            // /dev/kmsg returns one record per read; a regular file (tests) returns many lines.
            for line in TextScanning.lines(text) {
                guard let record = KernelLogRecord.parse(line) else { continue }
                if let last, record.sequence <= last { continue }
                last = record.sequence
                records.append(record)
            }
        }
        return records
    }
}
