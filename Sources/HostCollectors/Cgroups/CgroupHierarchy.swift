import HostFS

/// Where each cgroup controller's files are, for the three layouts kubelet meets.
///
/// - unified (v2): one tree, `<root>/cgroup.controllers` exists.
/// - legacy (v1): one tree per controller (`<root>/memory`, `<root>/cpu,cpuacct` or `cpu` and
///   `cpuacct` apart, `<root>/blkio`, `<root>/pids`).
/// - hybrid: v1 controllers plus an empty v2 tree at `<root>/unified`; treated as v1.
public struct CgroupHierarchy: Sendable, Equatable {
    public enum Version: Sendable, Equatable { case v1, v2 }

    public var version: Version
    /// Directory (relative to the sysfs root) per controller: "memory", "cpu", "cpuacct", "blkio", "pids"; for v2 all are the same.
    public var controllers: [String: String]

    /// Detects the layout under `<sysfs>/fs/cgroup`; nil when there is no cgroup filesystem.
    public static func detect(_ sys: FileTree) -> CgroupHierarchy? {
        let base = "fs/cgroup"
        if sys.exists(base + "/cgroup.controllers") {
            let all = ["memory", "cpu", "cpuacct", "io", "blkio", "pids"]
            return CgroupHierarchy(version: .v2, controllers: Dictionary(uniqueKeysWithValues: all.map { ($0, base) }))
        }
        var controllers: [String: String] = [:]
        for name in ["memory", "cpu", "cpuacct", "blkio", "pids"] {
            // A controller mounted alone, or co-mounted as `cpu,cpuacct` (either order).
            let candidates = [name] + ["cpu,cpuacct", "cpuacct,cpu"].filter { $0.split(separator: ",").contains(Substring(name)) }
            controllers[name] = candidates.map { base + "/" + $0 }.first { sys.isDirectory($0) }
        }
        guard controllers["memory"] != nil || controllers["cpu"] != nil else { return nil }
        return CgroupHierarchy(version: .v1, controllers: controllers)
    }

    /// The directory holding the files of `controller` for cgroup `id` (`/kubepods/burstable/pod…`).
    func directory(_ controller: String, _ id: String) -> String? {
        controllers[controller].map { $0 + id }
    }

    /// The tree used to discover cgroups: memory for v1 (every pod has it), the root for v2.
    public var discoveryRoot: String? { controllers["memory"] ?? controllers["cpu"] }
}
