import CEdgewatchLinux
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Descriptors of kernel files (sysfs, cgroupfs, procfs but a process's own directory) kept open
/// between collection cycles and read again from offset 0 with pread(2): the kernel makes such a
/// file's text anew at each read from the start, so a cycle pays the read, not the path walk,
/// open and close (about a third of a cycle's CPU time). A descriptor not read for a whole cycle
/// is closed at ``sweep()``, so a removed cgroup is not held for longer; one that fails (its
/// cgroup or device gone) is closed and the file opened anew, as without the cache.
public final class KeptFiles: Sendable {
    private struct Entry {
        var descriptor: Int32
        var read: Bool
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// At most this many descriptors are kept: a quarter of the process's soft limit, at most 2048.
    public let capacity: Int

    public init(capacity: Int? = nil) {
        self.capacity = capacity ?? Self.defaultCapacity()
    }

    deinit {
        entries.withLock { kept in
            for entry in kept.values { close(entry.descriptor) }
        }
    }

    /// How many descriptors are kept now.
    public var count: Int { entries.withLock { $0.count } }

    /// `body`'s result over the descriptor kept for `path`, read under the lock (nothing closes it
    /// meanwhile); nil when none is kept, or when `body` fails on it (it is closed then).
    func withDescriptor<T>(_ path: String, _ body: (Int32) -> T?) -> T? {
        entries.withLock { kept -> T? in
            guard let entry = kept[path] else { return nil }
            guard let result = body(entry.descriptor) else {
                close(entry.descriptor)
                kept[path] = nil
                return nil
            }
            kept[path]?.read = true
            return result
        }
    }

    /// Keeps `descriptor`, just read whole, for `path` when it is a kernel file that can be read
    /// again in place and there is room; the cache owns it then (true), else the caller closes it.
    /// `perProcess`: the path is below a process's directory in procfs (`<pid>/…`, `self/…`),
    /// which a later process with the same id would not be.
    func keep(_ path: String, descriptor: Int32, perProcess: Bool) -> Bool {
        // A full cache takes nothing: spare the two probes below on every read past it.
        guard count < capacity else { return false }
        let type = cew_filesystem_type(descriptor)
        guard Self.rereadable.contains(type), !(perProcess && type == Self.procfs) else { return false }
        var probe: UInt8 = 0
        guard pread(descriptor, &probe, 0, 0) == 0 else { return false }  // not seekable: read once only
        return entries.withLock { kept in
            guard kept[path] == nil, kept.count < capacity else { return false }
            kept[path] = Entry(descriptor: descriptor, read: true)
            return true
        }
    }

    /// Closes the descriptors not read since the last sweep (call once per cycle).
    public func sweep() {
        entries.withLock { kept in
            for (path, entry) in kept {
                if entry.read {
                    kept[path]?.read = false
                } else {
                    close(entry.descriptor)
                    kept[path] = nil
                }
            }
        }
    }

    static let procfs: Int64 = 0x9fa0
    /// sysfs, cgroup2, cgroup (v1) and proc.
    static let rereadable: Set<Int64> = [0x6265_6572, 0x6367_7270, 0x0027_e0eb, procfs]

    static func defaultCapacity() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 64 }
        return Int(min(max(limit.rlim_cur / 4, 64), 2048))
    }
}
