import EdgewatchCore
import HostFS

/// node_exporter's `filesystem`: size, free, available bytes and inodes of each mounted
/// filesystem (mountinfo + statvfs), with node_exporter's default exclusions.
public struct FilesystemCollector: Collector {
    public let name = "filesystem"
    /// node_exporter 1.5's default `--collector.filesystem.mount-points-exclude`.
    public static let defaultMountPointsExclude = "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"
    /// node_exporter 1.5's default `--collector.filesystem.fs-types-exclude`.
    public static let defaultFSTypesExclude =
        "^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|sysfs|tracefs)$"

    let mountPointsExclude = Exclusion(Self.defaultMountPointsExclude)
    let fsTypesExclude = Exclusion(Self.defaultFSTypesExclude)

    public init() {}

    /// The mount table: mountinfo of PID 1, else of this process, else the older mounts format.
    static func mounts(_ proc: ProcFS, issues: inout [ParseIssue]) throws(CollectorError) -> [MountEntry] {
        for candidate in ["1/mountinfo", "self/mountinfo"] {
            if let text = try? proc.tree.readText(candidate) {
                let parsed = MountsParser.parseMountinfo(text, file: proc.tree.path(candidate))
                issues += parsed.issues
                return parsed.value
            }
        }
        var lastError = FileSystemError.notFound(path: proc.tree.path("mounts"))
        for candidate in ["1/mounts", "mounts"] {
            do {
                let text = try proc.tree.readText(candidate)
                let parsed = MountsParser.parseMounts(text, file: proc.tree.path(candidate))
                issues += parsed.issues
                return parsed.value
            } catch {
                lastError = error
            }
        }
        throw CollectorError(lastError)
    }

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let excludedMountPoints = try mountPointsExclude.regex()
        let excludedTypes = try fsTypesExclude.regex()
        var seen = Set<String>()
        for mount in try Self.mounts(context.proc, issues: &issues) {
            let mountPoint = context.rootfs.strip(mount.mountPoint)
            if excludedMountPoints.matches(mountPoint) || excludedTypes.matches(mount.fsType) { continue }
            guard seen.insert(mount.device + "\u{0}" + mountPoint).inserted else { continue }
            let labels: Labels = ["device": mount.device, "fstype": mount.fsType, "mountpoint": mountPoint]
            switch context.kernel.filesystemUsage(atPath: context.rootfs.tree.path(mountPoint)) {
            case .failure:
                metrics.add(
                    "node_filesystem_device_error",
                    "Whether an error occurred while getting statistics for the given device.",
                    .gauge,
                    1,
                    labels
                )
            case .success(let usage):
                metrics.add(
                    "node_filesystem_device_error",
                    "Whether an error occurred while getting statistics for the given device.",
                    .gauge,
                    0,
                    labels
                )
                metrics.add("node_filesystem_readonly", "Filesystem read-only status.", .gauge, mount.isReadOnly ? 1 : 0, labels)
                metrics.add("node_filesystem_size_bytes", "Filesystem size in bytes.", .gauge, usage.sizeBytes, labels)
                metrics.add("node_filesystem_free_bytes", "Filesystem free space in bytes.", .gauge, usage.freeBytes, labels)
                metrics.add(
                    "node_filesystem_avail_bytes",
                    "Filesystem space available to non-root users in bytes.",
                    .gauge,
                    usage.availableBytes,
                    labels
                )
                metrics.add("node_filesystem_files", "Filesystem total file nodes.", .gauge, usage.files, labels)
                metrics.add("node_filesystem_files_free", "Filesystem total free file nodes.", .gauge, usage.filesFree, labels)
            }
        }
    }
}
