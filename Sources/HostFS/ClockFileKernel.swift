#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A ``HostKernel`` whose wall clock and clock-sync state come from a file, for end-to-end tests
/// of clock steps and boards without a real-time clock (set through `EDGEWATCH_TEST_CLOCK_FILE`).
///
/// The file holds `<offset in ms> <synced|unsynced>`: the wall clock is the base kernel's plus the
/// offset, and adjtimex reports the given state. It is read on every call, so a test steps the
/// clock or "syncs" it by rewriting the file. An unreadable or malformed file leaves the base
/// kernel's clock as it is.
public struct ClockFileKernel: HostKernel {
    public let base: any HostKernel
    public let file: FileTree
    public let name: String

    /// A kernel reading its clock from `path` (absolute), everything else from `base`.
    public init(base: any HostKernel, path: String) {
        self.base = base
        let slash = path.lastIndex(of: "/") ?? path.startIndex
        file = FileTree(root: String(path[..<slash]).isEmpty ? "/" : String(path[..<slash]))
        name = String(path[slash...].drop { $0 == "/" })
    }

    /// The environment variable naming the clock file.
    public static let environmentVariable = "EDGEWATCH_TEST_CLOCK_FILE"

    /// `base`, or a kernel reading its clock from the file `EDGEWATCH_TEST_CLOCK_FILE` names (an
    /// absolute path) when the variable is set.
    public static func fromEnvironment(base: any HostKernel) -> (kernel: any HostKernel, path: String?) {
        guard let path = getenv(environmentVariable).map({ String(cString: $0) }), path.hasPrefix("/") else { return (base, nil) }
        return (ClockFileKernel(base: base, path: path), path)
    }

    /// The offset and sync state the file holds now.
    func reading() -> (offset: Int64, synced: Bool)? {
        guard let text = try? file.readValue(name) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count == 2, let offset = Int64(fields[0]), ["synced", "unsynced"].contains(fields[1]) else { return nil }
        return (offset, fields[1] == "synced")
    }

    public func wallTime() -> WallTime { clockReading().wall }

    public func clockState() -> KernelClockState? { clockReading().state }

    /// One reading of the file for both, so a test's rewrite never falls between them.
    public func clockReading() -> (wall: WallTime, state: KernelClockState?) {
        var time = base.wallTime()
        guard let reading = reading() else { return (time, base.clockState()) }
        time.seconds += Double(reading.offset) / 1000
        var state = base.clockState() ?? KernelClockState()
        state.state = reading.synced ? 0 : KernelClockState.timeError
        state.status = reading.synced ? state.status & ~KernelClockState.statusUnsync : state.status | KernelClockState.statusUnsync
        return (time, state)
    }

    public func identity() -> SystemIdentity? { base.identity() }
    public func filesystemUsage(atPath path: String) -> Result<FilesystemUsage, FileSystemError> { base.filesystemUsage(atPath: path) }
    public var pageSize: Int { base.pageSize }
    public func linkStatistics() -> [LinkStatistics]? { base.linkStatistics() }
}
