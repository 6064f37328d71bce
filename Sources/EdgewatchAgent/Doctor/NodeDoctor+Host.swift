import EdgewatchCore
import HostCollectors
import HostFS
import Logging

/// The host checks: what the collectors will find.
extension NodeDoctor {
    func cgroups() -> DoctorCheck {
        let sys = context.sys.tree
        guard let hierarchy = CgroupHierarchy.detect(sys) else {
            return DoctorCheck(
                "cgroup",
                .fail,
                "no cgroup filesystem under \(sys.path("fs/cgroup"))",
                advice: "mount cgroup2 at /sys/fs/cgroup (k3s and the pod metrics need it)"
            )
        }
        let enabled: [String]
        if hierarchy.version == .v2 {
            let text = (try? sys.readValue("fs/cgroup/cgroup.controllers")) ?? ""
            enabled = text.split(separator: " ").map(String.init).sorted()
        } else {
            enabled = hierarchy.controllers.filter { $0.value.isEmpty == false }.keys.sorted()
        }
        let version = hierarchy.version == .v2 ? "v2 (unified)" : "v1 (legacy or hybrid)"
        let missing = ["cpu", "memory"].filter { !enabled.contains($0) }
        guard missing.isEmpty else {
            return DoctorCheck(
                "cgroup",
                .warn,
                "\(version); controllers: \(enabled.joined(separator: " ")); missing \(missing.joined(separator: ", "))",
                advice: "enable them on the kernel command line (Raspberry Pi: cgroup_enable=memory cgroup_memory=1 in cmdline.txt)"
            )
        }
        return DoctorCheck("cgroup", .ok, "\(version); controllers: \(enabled.joined(separator: " "))")
    }

    func pressure() -> DoctorCheck {
        let found = ["cpu", "memory", "io"].filter { context.proc.tree.exists("pressure/" + $0) }
        guard found.isEmpty else { return DoctorCheck("psi", .ok, "pressure stall information: \(found.joined(separator: ", "))") }
        return DoctorCheck(
            "psi",
            .warn,
            "no \(context.proc.tree.path("pressure")): the node_pressure_* series and their alerts are missing",
            advice: "boot a kernel with CONFIG_PSI and psi=1 on its command line"
        )
    }

    func kubepods() -> DoctorCheck {
        let sys = context.sys.tree
        guard let root = CgroupHierarchy.detect(sys)?.discoveryRoot else {
            return DoctorCheck("kubepods", .skip, "no cgroup filesystem")
        }
        let found = KubepodsDiscovery.discover(sys, root: root)
        let pods = found.filter { $0.kind == .pod }.count
        let containers = found.filter { $0.kind == .container }.count
        guard found.contains(where: { $0.kind == .kubepods }) else {
            return DoctorCheck(
                "kubepods",
                .warn,
                "no kubepods cgroup under \(sys.path(root)): no pod or container metrics",
                advice: "run the agent on a k3s or kubelet node (in a container, mount the host's /sys)"
            )
        }
        return DoctorCheck("kubepods", .ok, "\(pods) pods, \(containers) containers")
    }

    func podLogs() -> DoctorCheck {
        let tree = context.rootfs.tree
        guard let entries = try? tree.list("var/log/pods") else {
            return DoctorCheck(
                "pod-logs",
                .warn,
                "\(tree.path("var/log/pods")) is not readable: `export --what podlogs` has nothing to read",
                advice: "on a k3s node it exists; in a container, mount the host's /var/log/pods read-only"
            )
        }
        return DoctorCheck("pod-logs", .ok, "\(tree.path("var/log/pods")): \(entries.filter { $0.kind == .directory }.count) pod directories")
    }

    /// GPUs as the GPU collectors see them: one collection per vendor, counting devices.
    func gpus() -> DoctorCheck {
        var logger = Logger(label: "edgewatch.doctor")
        logger.logLevel = .critical
        var found: [String] = []
        for (collector, vendor) in [("nvidia_gpu", "NVIDIA (NVML)"), ("jetson_gpu", "Jetson"), ("amd_gpu", "AMD")] {
            guard let selected = try? CollectorCatalog.select([collector]) else { continue }
            let snapshot = HostCollection(collectors: selected, context: context, logger: logger).collect()
            var devices = Set<String>()
            for family in snapshot.families where family.name.hasPrefix("DCGM_") {
                for sample in family.samples { devices.insert(sample.labels["device"] ?? sample.labels["gpu"] ?? "") }
            }
            if !devices.isEmpty { found.append("\(vendor): \(devices.count)") }
        }
        return DoctorCheck("gpu", .ok, found.isEmpty ? "none found (no GPU metrics)" : found.joined(separator: ", "))
    }

    func clock() -> DoctorCheck {
        guard let state = context.kernel.clockState() else {
            return DoctorCheck("clock", .warn, "adjtimex(2) unavailable: clock sync state unknown")
        }
        guard state.isSynchronized else {
            return DoctorCheck(
                "clock",
                .warn,
                "not synchronised (adjtimex): sample times may be off; a boot's data waits for the sync (uplink.clock_sync_wait)",
                advice: "enable systemd-timesyncd or chrony with a reachable NTP server"
            )
        }
        return DoctorCheck("clock", .ok, "synchronised (adjtimex)")
    }
}
