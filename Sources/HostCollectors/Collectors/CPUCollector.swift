import EdgewatchCore

/// node_exporter's `cpu`: per-CPU seconds by mode and guest seconds from /proc/stat, and
/// thermal throttle counts from sysfs on x86.
public struct CPUCollector: Collector {
    public let name = "cpu"
    public init() {}

    /// /proc/stat's first eight columns, in order.
    static let modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"]
    /// The kernel's USER_HZ, which /proc/stat's jiffies are counted in.
    static let userHZ = 100.0

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let text = try context.cycleFiles.required("stat", in: context.proc.tree)
        let parsed = ProcStatParser.parse(text, file: context.proc.tree.path("stat"))
        issues += parsed.issues
        guard !parsed.value.cpus.isEmpty else { throw .failed("no cpuN lines in /proc/stat") }
        for (cpu, jiffies) in parsed.value.cpus {
            for (index, mode) in Self.modes.enumerated() {
                let value = index < jiffies.count ? jiffies[index] : 0
                metrics.add(
                    "node_cpu_seconds_total",
                    "Seconds the CPUs spent in each mode.",
                    .counter,
                    value / Self.userHZ,
                    ["cpu": cpu, "mode": mode]
                )
            }
            let guest = jiffies.count > 8 ? jiffies[8] : 0
            let guestNice = jiffies.count > 9 ? jiffies[9] : 0
            let help = "Seconds the CPUs spent in guests (VMs) for each mode."
            metrics.add("node_cpu_guest_seconds_total", help, .counter, guest / Self.userHZ, ["cpu": cpu, "mode": "user"])
            metrics.add("node_cpu_guest_seconds_total", help, .counter, guestNice / Self.userHZ, ["cpu": cpu, "mode": "nice"])
        }
        collectThrottles(into: &metrics, context: context)
    }

    /// node_cpu_core_throttles_total and node_cpu_package_throttles_total (x86 thermal_throttle).
    private func collectThrottles(into metrics: inout MetricSet, context: CollectionContext) {
        let tree = context.sys.tree
        var seenCores = Set<String>()
        var seenPackages = Set<String>()
        let cpus = tree.entries("devices/system/cpu", prefix: "cpu").filter { NumberParsing.unsigned($0.dropFirst(3)) != nil }
        for cpu in cpus.sorted(by: { (Int($0.dropFirst(3)) ?? 0) < (Int($1.dropFirst(3)) ?? 0) }) {
            let base = "devices/system/cpu/\(cpu)"
            guard let package = tree.optionalValue(base + "/topology/physical_package_id"),
                let core = tree.optionalValue(base + "/topology/core_id")
            else { continue }
            if seenCores.insert(package + "/" + core).inserted,
                let count = tree.optionalNumber(base + "/thermal_throttle/core_throttle_count")
            {
                metrics.add(
                    "node_cpu_core_throttles_total",
                    "Number of times this CPU core has been throttled.",
                    .counter,
                    count,
                    ["core": core, "package": package]
                )
            }
            if seenPackages.insert(package).inserted,
                let count = tree.optionalNumber(base + "/thermal_throttle/package_throttle_count")
            {
                metrics.add(
                    "node_cpu_package_throttles_total",
                    "Number of times this CPU package has been throttled.",
                    .counter,
                    count,
                    ["package": package]
                )
            }
        }
    }
}
