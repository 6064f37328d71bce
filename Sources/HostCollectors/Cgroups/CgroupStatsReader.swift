import HostFS

/// Reads one cgroup's files for the detected hierarchy. A cgroup that vanished mid-read is
/// reported as gone (nil), never as an error.
public struct CgroupStatsReader: Sendable {
    let sys: FileTree
    let hierarchy: CgroupHierarchy
    /// The kernel's USER_HZ for v1 cpuacct.stat.
    static let userHZ = 100.0

    public init(sys: FileTree, hierarchy: CgroupHierarchy) {
        self.sys = sys
        self.hierarchy = hierarchy
    }

    /// nil when the cgroup no longer exists.
    public func read(_ id: String) -> CgroupStats? {
        hierarchy.version == .v2 ? readV2(id) : readV1(id)
    }

    private func file(_ controller: String, _ id: String, _ name: String) -> String? {
        guard let directory = hierarchy.directory(controller, id) else { return nil }
        return try? sys.readText(directory + "/" + name)
    }

    private func readV2(_ id: String) -> CgroupStats? {
        guard let base = hierarchy.directory("memory", id), sys.isDirectory(base) else { return nil }
        var stats = CgroupStats()
        let read = { (name: String) in file("memory", id, name) }
        if let text = read("cpu.stat") {
            let cpu = CgroupFileParsers.values(text, ["usage_usec", "user_usec", "system_usec", "nr_periods", "nr_throttled", "throttled_usec"])
            stats.cpuUsageSeconds = cpu[0].map { $0 / 1e6 }
            stats.cpuUserSeconds = cpu[1].map { $0 / 1e6 }
            stats.cpuSystemSeconds = cpu[2].map { $0 / 1e6 }
            stats.cfsPeriods = cpu[3]
            stats.cfsThrottledPeriods = cpu[4]
            stats.cfsThrottledSeconds = cpu[5].map { $0 / 1e6 }
        }
        stats.memoryUsage = read("memory.current").flatMap(CgroupFileParsers.single)
        if let text = read("memory.stat") {
            let memory = CgroupFileParsers.values(text, ["anon", "file", "inactive_file"])
            stats.memoryRSS = memory[0]
            stats.memoryCache = memory[1]
            if let usage = stats.memoryUsage {
                stats.memoryWorkingSet = max(0, usage - (memory[2] ?? 0))
            }
        }
        stats.memorySwap = read("memory.swap.current").flatMap(CgroupFileParsers.single)
        stats.oomEvents = read("memory.events").map { CgroupFileParsers.values($0, ["oom_kill"])[0] ?? 0 }
        if let text = read("memory.max") { stats.memoryLimit = CgroupFileParsers.single(text) ?? 0 }
        if let text = read("io.stat") { stats.io = CgroupFileParsers.ioStat(text) }
        stats.threads = read("pids.current").flatMap(CgroupFileParsers.single)
        stats.processes = read("cgroup.procs").map(CgroupFileParsers.lineCount)
        if let text = read("cpu.max") {
            let limits = CgroupFileParsers.cpuMax(text)
            stats.cpuQuota = limits.quota
            stats.cpuPeriod = limits.period
        }
        stats.cpuShares = read("cpu.weight").flatMap(CgroupFileParsers.single).map(CgroupFileParsers.shares(fromWeight:))
        for resource in ["cpu", "memory", "io"] {
            guard let text = read(resource + ".pressure") else { continue }
            let totals = PressureParser.parse(text, file: "").value
            stats.pressure.append((resource, totals.someTotal, totals.fullTotal))
        }
        // Gone while reading: the directory no longer exists.
        return sys.isDirectory(base) ? stats : nil
    }

    private func readV1(_ id: String) -> CgroupStats? {
        guard let memoryDirectory = hierarchy.directory("memory", id), sys.isDirectory(memoryDirectory) else { return nil }
        var stats = CgroupStats()
        stats.cpuUsageSeconds = file("cpuacct", id, "cpuacct.usage").flatMap(CgroupFileParsers.single).map { $0 / 1e9 }
        if let text = file("cpuacct", id, "cpuacct.stat") {
            let cpu = CgroupFileParsers.values(text, ["user", "system"])
            stats.cpuUserSeconds = cpu[0].map { $0 / Self.userHZ }
            stats.cpuSystemSeconds = cpu[1].map { $0 / Self.userHZ }
        }
        if let text = file("cpu", id, "cpu.stat") {
            let cpu = CgroupFileParsers.values(text, ["nr_periods", "nr_throttled", "throttled_time"])
            stats.cfsPeriods = cpu[0]
            stats.cfsThrottledPeriods = cpu[1]
            stats.cfsThrottledSeconds = cpu[2].map { $0 / 1e9 }
        }
        stats.memoryUsage = file("memory", id, "memory.usage_in_bytes").flatMap(CgroupFileParsers.single)
        if let text = file("memory", id, "memory.stat") {
            let memory = CgroupFileParsers.values(text, ["total_rss", "total_cache", "total_swap", "total_inactive_file"])
            stats.memoryRSS = memory[0]
            stats.memoryCache = memory[1]
            stats.memorySwap = memory[2]
            if let usage = stats.memoryUsage {
                stats.memoryWorkingSet = max(0, usage - (memory[3] ?? 0))
            }
        }
        stats.memoryFailcnt = file("memory", id, "memory.failcnt").flatMap(CgroupFileParsers.single)
        stats.oomEvents = file("memory", id, "memory.oom_control").map { CgroupFileParsers.values($0, ["oom_kill"])[0] ?? 0 }
        if let limit = file("memory", id, "memory.limit_in_bytes").flatMap(CgroupFileParsers.single) {
            // v1 writes "unlimited" as PAGE_COUNTER_MAX pages; report 0 like v2's "max".
            stats.memoryLimit = limit >= 9.2e18 ? 0 : limit
        }
        if let text = file("blkio", id, "blkio.throttle.io_service_bytes_recursive") ?? file("blkio", id, "blkio.throttle.io_service_bytes") {
            stats.io = CgroupFileParsers.blkioServiceBytes(text)
        }
        stats.threads = file("pids", id, "pids.current").flatMap(CgroupFileParsers.single)
        stats.processes = file("memory", id, "cgroup.procs").map(CgroupFileParsers.lineCount)
        if let quota = file("cpu", id, "cpu.cfs_quota_us").flatMap(CgroupFileParsers.single), quota > 0 { stats.cpuQuota = quota }
        stats.cpuPeriod = file("cpu", id, "cpu.cfs_period_us").flatMap(CgroupFileParsers.single)
        stats.cpuShares = file("cpu", id, "cpu.shares").flatMap(CgroupFileParsers.single)
        return sys.isDirectory(memoryDirectory) ? stats : nil
    }
}
