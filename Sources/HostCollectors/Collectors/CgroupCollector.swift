import EdgewatchCore
import HostFS

/// Pods, containers and system services from cgroups (v1, v2 and hybrid; systemd and cgroupfs
/// kubelet drivers), with cAdvisor's metric names and kubelet's `id`, `namespace`, `pod` and
/// `container` labels. Names come from kubelet's log trees, so the apiserver is not needed.
public struct CgroupCollector: Collector {
    public let name = "cgroup"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let sys = context.sys.tree
        guard let hierarchy = CgroupHierarchy.detect(sys), let root = hierarchy.discoveryRoot else {
            throw .unavailable("no cgroup filesystem under \(sys.path("fs/cgroup"))")
        }
        let cgroups = KubepodsDiscovery.discover(sys, root: root)
        guard !cgroups.isEmpty else { throw .unavailable("no kubepods or system.slice cgroups under \(sys.path(root))") }
        let names = PodNames.read(context.rootfs.tree, directory: context.podDirectory)
        let reader = CgroupStatsReader(sys: sys, hierarchy: hierarchy)
        var devices: [String: String] = [:]
        for cgroup in cgroups {
            guard let stats = reader.read(cgroup.id) else { continue }  // vanished: gone, not an error
            let labels = Self.labels(cgroup, names: names)
            emit(stats, labels: labels, into: &metrics) { majorMinor in
                if let known = devices[majorMinor] { return known }
                let name = Self.deviceName(majorMinor, sys: sys)
                devices[majorMinor] = name
                return name
            }
        }
    }

    static func labels(_ cgroup: ContainerCgroup, names: PodNames) -> Labels {
        var namespace = ""
        var pod = ""
        var container = ""
        if let uid = cgroup.podUID {
            if let known = names.pods[uid] {
                namespace = known.namespace
                pod = known.pod
            } else {
                pod = uid
            }
        }
        if let id = cgroup.containerID { container = names.containers[id] ?? id }
        return Labels([Label("id", cgroup.id), Label("namespace", namespace), Label("pod", pod), Label("container", container)])
    }

    /// `/dev/sda` from `/sys/dev/block/8:0/uevent`, else the `major:minor` itself.
    static func deviceName(_ majorMinor: String, sys: FileTree) -> String {
        guard let text = try? sys.readText("dev/block/" + majorMinor + "/uevent") else { return majorMinor }
        for line in TextScanning.lines(text) where line.hasPrefix("DEVNAME=") {
            return "/dev/" + line.dropFirst(8)
        }
        return majorMinor
    }

    private func emit(_ stats: CgroupStats, labels: Labels, into metrics: inout MetricSet, device: (String) -> String) {
        func add(_ name: String, _ help: String, _ type: MetricType, _ value: Double?, _ extra: Labels? = nil) {
            guard let value else { return }
            metrics.add(name, help, type, value, extra ?? labels)
        }
        add(
            "container_cpu_usage_seconds_total",
            "Cumulative cpu time consumed in seconds.",
            .counter,
            stats.cpuUsageSeconds,
            labels.adding("cpu", "total")
        )
        add("container_cpu_user_seconds_total", "Cumulative user cpu time consumed in seconds.", .counter, stats.cpuUserSeconds)
        add("container_cpu_system_seconds_total", "Cumulative system cpu time consumed in seconds.", .counter, stats.cpuSystemSeconds)
        add("container_cpu_cfs_periods_total", "Number of elapsed enforcement period intervals.", .counter, stats.cfsPeriods)
        add("container_cpu_cfs_throttled_periods_total", "Number of throttled period intervals.", .counter, stats.cfsThrottledPeriods)
        add("container_cpu_cfs_throttled_seconds_total", "Total time duration the container has been throttled.", .counter, stats.cfsThrottledSeconds)
        add(
            "container_memory_usage_bytes",
            "Current memory usage in bytes, including all memory regardless of when it was accessed.",
            .gauge,
            stats.memoryUsage
        )
        add("container_memory_working_set_bytes", "Current working set in bytes (usage minus inactive file cache).", .gauge, stats.memoryWorkingSet)
        add("container_memory_rss", "Size of RSS in bytes.", .gauge, stats.memoryRSS)
        add("container_memory_cache", "Number of bytes of page cache memory.", .gauge, stats.memoryCache)
        add("container_memory_swap", "Container swap usage in bytes.", .gauge, stats.memorySwap)
        add("container_memory_failcnt", "Number of memory usage hits limits (cgroup v1).", .counter, stats.memoryFailcnt)
        add("container_oom_events_total", "Count of out of memory events observed for the container.", .counter, stats.oomEvents)
        for (majorMinor, bytes) in stats.io.sorted(by: { $0.key < $1.key }) {
            let deviceLabels = labels.adding("device", device(majorMinor))
            add("container_fs_reads_bytes_total", "Cumulative count of bytes read.", .counter, bytes.read, deviceLabels)
            add("container_fs_writes_bytes_total", "Cumulative count of bytes written.", .counter, bytes.write, deviceLabels)
        }
        add("container_threads", "Number of threads (tasks) running inside the container (pids.current).", .gauge, stats.threads)
        add("container_processes", "Number of processes running inside the container (cgroup.procs).", .gauge, stats.processes)
        add("container_spec_memory_limit_bytes", "Memory limit for the container (0 when unlimited).", .gauge, stats.memoryLimit)
        add("container_spec_cpu_quota", "CPU quota of the container in microseconds per period.", .gauge, stats.cpuQuota)
        add("container_spec_cpu_period", "CPU period of the container in microseconds.", .gauge, stats.cpuPeriod)
        add("container_spec_cpu_shares", "CPU share of the container.", .gauge, stats.cpuShares)
        for (resource, some, full) in stats.pressure {
            add(
                "container_pressure_\(resource)_waiting_seconds_total",
                "Total time duration tasks in the container have waited due to \(resource) congestion.",
                .counter,
                some.map { $0 / 1e6 }
            )
            add(
                "container_pressure_\(resource)_stalled_seconds_total",
                "Total time duration no tasks in the container could make progress due to \(resource) congestion.",
                .counter,
                full.map { $0 / 1e6 }
            )
        }
    }
}
