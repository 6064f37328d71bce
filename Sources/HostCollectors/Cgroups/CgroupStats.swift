/// What one cgroup reports, normalised across v1 and v2 (seconds, bytes, counts).
public struct CgroupStats: Sendable {
    public var cpuUsageSeconds: Double?
    public var cpuUserSeconds: Double?
    public var cpuSystemSeconds: Double?
    public var cfsPeriods: Double?
    public var cfsThrottledPeriods: Double?
    public var cfsThrottledSeconds: Double?
    public var memoryUsage: Double?
    public var memoryWorkingSet: Double?
    public var memoryRSS: Double?
    public var memoryCache: Double?
    public var memorySwap: Double?
    public var memoryFailcnt: Double?
    public var oomEvents: Double?
    /// Per `major:minor`.
    public var io: [String: (read: Double, write: Double)] = [:]
    public var threads: Double?
    public var processes: Double?
    /// 0 when unlimited, as cAdvisor reports.
    public var memoryLimit: Double?
    public var cpuQuota: Double?
    public var cpuPeriod: Double?
    public var cpuShares: Double?
    /// (resource, some µs, full µs).
    public var pressure: [(String, Double?, Double?)] = []

    public init() {}
}
