/// The kernel facts that are system calls rather than files: injected so tests can fix them.
public protocol HostKernel: Sendable {
    /// The current wall-clock time and local zone.
    func wallTime() -> WallTime
    /// uname(2).
    func identity() -> SystemIdentity?
    /// adjtimex(2) in read-only mode.
    func clockState() -> KernelClockState?
    /// ``wallTime()`` and ``clockState()`` read together (a default reads one after the other).
    func clockReading() -> (wall: WallTime, state: KernelClockState?)
    /// statvfs(3) of an absolute path; nil with errno's meaning when it fails.
    func filesystemUsage(atPath path: String) -> Result<FilesystemUsage, FileSystemError>
    /// The memory page size in bytes.
    var pageSize: Int { get }
    /// Every network link's kernel counters (rtnetlink); nil when not available.
    func linkStatistics() -> [LinkStatistics]?
}

extension HostKernel {
    /// Kernels injected for tests read interface counters from the fixture's /proc/net/dev.
    public func linkStatistics() -> [LinkStatistics]? { nil }

    /// The wall-clock time and the clock's sync state read together, so a cycle's timestamp and
    /// its "synchronized" flag describe the same clock (a step between two reads would otherwise
    /// give a time taken before the step the flag of after it).
    public func clockReading() -> (wall: WallTime, state: KernelClockState?) {
        (wallTime(), clockState())
    }
}
