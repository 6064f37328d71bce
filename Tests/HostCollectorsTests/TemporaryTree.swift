import EdgewatchCore
import Foundation
import HostCollectors
import HostFS

/// A throw-away directory tree for collector tests, removed on deinit.
final class TemporaryTree {
    let root: String

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    func link(_ relative: String, to target: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: target)
    }

    /// A context whose proc, sys and rootfs are `proc/`, `sys/` and `root/` below this tree.
    func context(kernel: any HostKernel = FixedKernel()) -> CollectionContext {
        CollectionContext(proc: ProcFS(root: root + "/proc"), sys: SysFS(root: root + "/sys"), rootfs: RootFS(root: root + "/root"), kernel: kernel)
    }
}

/// A kernel with fixed answers.
struct FixedKernel: HostKernel {
    var clock = KernelClockState(
        state: 0,
        status: 0x0001,
        offset: -1500,
        frequency: 655360,
        maxError: 16000,
        estimatedError: 500,
        constant: 7,
        tick: 10000,
        taiOffset: 37
    )
    var usage: Result<FilesystemUsage, FileSystemError> = .success(
        FilesystemUsage(sizeBytes: 1000, freeBytes: 400, availableBytes: 300, files: 100, filesFree: 90, readOnly: false)
    )

    func wallTime() -> WallTime { WallTime(seconds: 1_732_000_000.5, zoneName: "CET", zoneOffsetSeconds: 3600) }
    func identity() -> SystemIdentity? {
        SystemIdentity(
            sysname: "Linux",
            nodename: "pi",
            release: "6.6.31+rpt-rpi-v8",
            version: "#1 SMP PREEMPT",
            machine: "aarch64",
            domainname: "(none)"
        )
    }
    func clockState() -> KernelClockState? { clock }
    func filesystemUsage(atPath path: String) -> Result<FilesystemUsage, FileSystemError> { usage }
    var pageSize: Int { 4096 }
}

extension MetricSet {
    /// The value of one series, for assertions.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        let wanted = Labels(labels.map { Label($0.key, $0.value) })
        return sortedFamilies().families.first { $0.name == name }?.samples.first { $0.labels == wanted }?.value
    }

    /// The number of samples of one family.
    func count(_ name: String) -> Int {
        sortedFamilies().families.first { $0.name == name }?.samples.count ?? 0
    }
}

/// Runs one collector over a context and returns its samples, issues and error.
func run(_ collector: any Collector, _ context: CollectionContext) -> (MetricSet, [ParseIssue], CollectorError?) {
    var metrics = MetricSet()
    var issues: [ParseIssue] = []
    do {
        try collector.collect(into: &metrics, context: context, issues: &issues)
        return (metrics, issues, nil)
    } catch {
        return (metrics, issues, error)
    }
}
