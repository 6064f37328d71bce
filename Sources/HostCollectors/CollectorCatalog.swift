/// Every collector edgewatch knows, by name, and which are on by default.
public enum CollectorCatalog {
    /// All collectors in the order they run.
    public static let all: [any Collector] = [
        AMDGPUCollector(),
        BoardCollector(),
        ClockSyncCollector(),
        CgroupCollector(),
        CPUCollector(),
        CPUFreqCollector(),
        DiskstatsCollector(),
        EntropyCollector(),
        FilefdCollector(),
        FilesystemCollector(),
        HwmonCollector(),
        JetsonGPUCollector(),
        LoadavgCollector(),
        MeminfoCollector(),
        NetClassCollector(),
        NVIDIAGPUCollector(),
        NetDevCollector(),
        OSReleaseCollector(),
        PressureCollector(),
        RaspberryPiThrottleCollector(),
        SockstatCollector(),
        StatCollector(),
        ThermalZoneCollector(),
        TimeCollector(),
        TimexCollector(),
        UnameCollector(),
        VmstatCollector(),
    ]

    /// The names of all collectors, sorted.
    public static var names: [String] { all.map(\.name).sorted() }

    /// The collectors called `names`, in catalogue order; throws naming the unknown ones.
    public static func select(_ names: [String]) throws(CollectorSelectionError) -> [any Collector] {
        let wanted = Set(names)
        let known = Set(all.map(\.name))
        let unknown = wanted.subtracting(known).sorted()
        if !unknown.isEmpty { throw CollectorSelectionError(unknown: unknown, known: self.names) }
        return all.filter { wanted.contains($0.name) }
    }
}

/// A collector list named collectors that do not exist.
public struct CollectorSelectionError: Error, Sendable, CustomStringConvertible {
    public var unknown: [String]
    public var known: [String]

    public var description: String {
        "unknown collector(s) \(unknown.joined(separator: ", ")); expected a comma-separated list of: \(known.joined(separator: ", "))"
    }
}
