import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A kubepods-like cgroup made on this machine in either kubelet driver's layout, removed at the end.
final class KubepodsCgroup {
    enum Driver: String, CaseIterable, Sendable { case cgroupfs, systemd }

    let version: Int
    let driver: Driver
    let uid = UUID().uuidString.lowercased()
    let containerID = (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: .min ... .max)) }.joined()
    /// Controller directories the container lives in (v1: one per controller; v2: one).
    private(set) var containerDirectories: [String] = []
    private var created: [String] = []

    var levels: [String] {
        switch driver {
        case .cgroupfs: return ["kubepods", "burstable", "pod\(uid)", containerID]
        case .systemd:
            let pod = "kubepods-burstable-pod\(uid.replacingOccurrences(of: "-", with: "_")).slice"
            return ["kubepods.slice", "kubepods-burstable.slice", pod, "cri-containerd-\(containerID).scope"]
        }
    }
    var id: String { "/" + levels.joined(separator: "/") }
    var podID: String { "/" + levels.dropLast().joined(separator: "/") }

    static let root = "/sys/fs/cgroup"

    init(driver: Driver = .cgroupfs) throws {
        self.driver = driver
        if FileManager.default.fileExists(atPath: Self.root + "/cgroup.controllers") {
            version = 2
            try make(Self.root, levels: levels, enable: true)
        } else {
            version = 1
            var seen = Set<String>()
            for controller in ["memory", "cpu", "cpuacct", "cpu,cpuacct", "blkio", "pids"] {
                let base = Self.root + "/" + controller
                var info = stat()
                guard lstat(base, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { continue }
                let real = (try? FileManager.default.destinationOfSymbolicLink(atPath: base)) ?? controller
                guard seen.insert(real).inserted else { continue }
                try make(base, levels: levels, enable: false)
            }
        }
    }

    private func make(_ base: String, levels: [String], enable: Bool) throws {
        var path = base
        for level in levels {
            if enable { try? "+memory +cpu +pids +io".write(toFile: path + "/cgroup.subtree_control", atomically: false, encoding: .utf8) }
            path += "/" + level
            if mkdir(path, 0o755) == 0 {
                created.append(path)
            } else if errno != EEXIST {
                throw HarnessError("mkdir \(path): \(String(cString: strerror(errno)))")
            }
        }
        containerDirectories.append(path)
    }

    /// Writes a limit file where it exists.
    func set(_ file: String, _ value: String) {
        for directory in containerDirectories + containerDirectories.map { ($0 as NSString).deletingLastPathComponent } {
            let path = directory + "/" + file
            if FileManager.default.fileExists(atPath: path) { try? value.write(toFile: path, atomically: false, encoding: .utf8) }
        }
    }

    func read(_ file: String) -> Double? {
        for directory in containerDirectories {
            if let text = try? String(contentsOfFile: directory + "/" + file, encoding: .utf8),
                let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return value
            }
        }
        return nil
    }

    /// The processes in the container cgroup.
    func processes() -> [Int32] {
        guard let directory = containerDirectories.first,
            let text = try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { Int32($0) }
    }

    /// Starts stress-ng with `arguments` inside the container cgroup.
    func runStress(_ stress: String, _ arguments: String) throws -> Process {
        let procsFiles = containerDirectories.map { $0 + "/cgroup.procs" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "for f in \(procsFiles); do echo $$ > $f; done; exec \(stress) \(arguments)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Kills everything in the cgroup (stress-ng's workers outlive a killed parent), then reaps `process`.
    func killAll(_ process: Process) {
        for _ in 0..<100 {
            let pids = processes()
            if pids.isEmpty { break }
            pids.forEach { kill($0, SIGKILL) }
            usleep(50_000)
        }
        process.waitUntilExit()
    }

    /// Removes what this test created, deepest first (processes must have exited).
    func remove() {
        for path in created.reversed() {
            for _ in 0..<50 where rmdir(path) != 0 && errno == EBUSY { usleep(20_000) }
        }
    }
}

@Suite("Real cgroups", .serialized, .enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: "/sys/fs/cgroup")))
struct RealCgroupTests {
    static func logTree(_ root: String, uid: String, container: String) throws {
        let directory = root + "/var/log/pods/edge_stress-demo_\(uid)/stress"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "x\n".write(toFile: directory + "/0.log", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/var/log/containers", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: root + "/var/log/containers/stress-demo_edge_stress-\(container).log",
            withDestinationPath: directory + "/0.log"
        )
    }

    @Test("a stress-ng container with limits: collected values match what the kernel reports", arguments: KubepodsCgroup.Driver.allCases)
    func stressContainer(driver: KubepodsCgroup.Driver) throws {
        let stress = try #require(Harness.which(["stress-ng"]), "stress-ng is not installed (make test installs it)")
        let cgroup = try KubepodsCgroup(driver: driver)
        defer { cgroup.remove() }
        let rootfs = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-cg-\(cgroup.uid)").path
        defer { try? FileManager.default.removeItem(atPath: rootfs) }
        try Self.logTree(rootfs, uid: cgroup.uid, container: cgroup.containerID)
        if cgroup.version == 1 {
            cgroup.set("memory.limit_in_bytes", "134217728")
            cgroup.set("cpu.cfs_period_us", "100000")
            cgroup.set("cpu.cfs_quota_us", "50000")
            cgroup.set("cpu.shares", "512")
        } else {
            cgroup.set("memory.max", "134217728")
            cgroup.set("cpu.max", "50000 100000")
            cgroup.set("cpu.weight", "20")
        }
        let process = try cgroup.runStress(stress, "--vm 1 --vm-bytes 48M --vm-keep --cpu 1 --cpu-load 40 --timeout 30s --quiet")
        defer { cgroup.killAll(process) }
        var usageBefore = 0.0
        for _ in 0..<100 {
            usageBefore = cgroup.read(cgroup.version == 1 ? "memory.usage_in_bytes" : "memory.current") ?? 0
            if usageBefore > 40e6 { break }
            usleep(50_000)
        }
        #expect(usageBefore > 40e6, "stress-ng should hold 48 MiB")
        let output = try Harness.run(Harness.edgewatch, ["collect", "--once", "--collectors", "cgroup", "--rootfs", rootfs])
        let usageAfter = cgroup.read(cgroup.version == 1 ? "memory.usage_in_bytes" : "memory.current") ?? 0
        #expect(output.status == 0, "\(output.stderr)")
        let samples = Exposition.parse(output.stdout)
        let labels = ["id": cgroup.id, "namespace": "edge", "pod": "stress-demo", "container": "stress"]
        func value(_ name: String, _ extra: [String: String] = [:]) -> Double? {
            samples[Series(name: name, labels: labels.merging(extra) { $1 })]
        }
        let usage = try #require(value("container_memory_usage_bytes"), "no series for \(cgroup.id) in:\n\(output.stdout.prefix(2000))")
        #expect(usage >= min(usageBefore, usageAfter) * 0.8 && usage <= max(usageBefore, usageAfter) * 1.2)
        #expect(try #require(value("container_memory_working_set_bytes")) <= usage)
        #expect(value("container_spec_memory_limit_bytes") == 134_217_728)
        #expect(value("container_spec_cpu_period") == 100_000)
        #expect(value("container_spec_cpu_quota") == 50_000)
        let expectedShares: Double = cgroup.version == 1 ? 512 : 500
        #expect(value("container_spec_cpu_shares") == expectedShares)
        #expect(try #require(value("container_threads")) >= 2)
        #expect(try #require(value("container_cpu_usage_seconds_total", ["cpu": "total"])) > 0)
        #expect(
            samples[
                Series(
                    name: "container_memory_usage_bytes",
                    labels: ["id": cgroup.podID, "namespace": "edge", "pod": "stress-demo", "container": ""]
                )
            ] != nil
        )
    }

    @Test("cgroups created and deleted while collecting: no crash, no error, exit 0")
    func race() throws {
        let base = KubepodsCgroup.root + (FileManager.default.fileExists(atPath: KubepodsCgroup.root + "/cgroup.controllers") ? "" : "/memory")
        let parent = base + "/kubepods/besteffort"
        let createdParent = !FileManager.default.fileExists(atPath: parent)
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        defer {
            if createdParent {
                rmdir(parent)
                rmdir(base + "/kubepods")
            }
        }
        // A shell loop creates and deletes pod and container cgroups as fast as it can.
        let churn = Process()
        churn.executableURL = URL(fileURLWithPath: "/bin/sh")
        churn.arguments = [
            "-c",
            """
            i=0; while :; do p=\(parent)/pod$(cat /proc/sys/kernel/random/uuid); c=$p/$(printf '%064x' $i)
            mkdir -p $c; rmdir $c; rmdir $p; i=$((i+1)); done
            """,
        ]
        try churn.run()
        defer {
            churn.terminate()
            churn.waitUntilExit()
            if let leftovers = try? FileManager.default.contentsOfDirectory(atPath: parent) {
                for pod in leftovers where pod.hasPrefix("pod") {
                    for container in (try? FileManager.default.contentsOfDirectory(atPath: parent + "/" + pod)) ?? [] where container.count == 64 {
                        rmdir(parent + "/" + pod + "/" + container)
                    }
                    rmdir(parent + "/" + pod)
                }
            }
        }
        let output = try Harness.run(Harness.edgewatch, ["collect", "--once", "--collectors", "cgroup", "--cycles", "300"], timeout: 120)
        #expect(output.status == 0)
        #expect(!output.stderr.contains("collector failed"), "\(output.stderr.prefix(500))")
    }
}
