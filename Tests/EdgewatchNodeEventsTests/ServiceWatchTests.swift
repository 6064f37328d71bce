import EdgewatchCore
import EdgewatchNodeEvents
import Foundation
import HostFS
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("ServiceRestarted", .serialized)
struct ServiceWatchTests {
    /// A /proc and /sys tree holding one unit's cgroup with `processes` (pid → start ticks).
    func tree(_ root: String, unit: String, layout: String, processes: [Int: UInt64]) throws {
        let cgroup = root + "/sys/fs/cgroup/\(layout)system.slice/\(unit)"
        try? FileManager.default.removeItem(atPath: root + "/sys")
        try? FileManager.default.removeItem(atPath: root + "/proc")
        try FileManager.default.createDirectory(atPath: cgroup, withIntermediateDirectories: true)
        try processes.keys.sorted().map(String.init).joined(separator: "\n").appending("\n").write(
            toFile: cgroup + "/cgroup.procs",
            atomically: true,
            encoding: .utf8
        )
        for (pid, start) in processes {
            try FileManager.default.createDirectory(atPath: root + "/proc/\(pid)", withIntermediateDirectories: true)
            let fields = (4...52).map { $0 == 22 ? String(start) : "0" }.joined(separator: " ")
            try "\(pid) (k3s server) S \(fields)\n".write(toFile: root + "/proc/\(pid)/stat", atomically: true, encoding: .utf8)
        }
    }

    @Test("the earliest-started process of the unit's cgroup is its main one; a new one is a restart (v2 and v1 layouts)")
    func fixtureTrees() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("services-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        for layout in ["", "systemd/"] {
            var watch = ServiceWatch(sys: FileTree(root: root + "/sys"), proc: FileTree(root: root + "/proc"), units: ["k3s.service"], node: "pi-1")
            try tree(root, unit: "k3s.service", layout: layout, processes: [812: 900, 1400: 5000])
            #expect(watch.observe(at: 1, bootID: "b").isEmpty)
            try tree(root, unit: "k3s.service", layout: layout, processes: [812: 900, 1500: 7000])
            #expect(watch.observe(at: 2, bootID: "b").isEmpty, "a child came and went: the main process is the same")
            try tree(root, unit: "k3s.service", layout: layout, processes: [2210: 9000, 2300: 9100])
            let events = watch.observe(at: 3, bootID: "b")
            #expect(
                events.map(\.reason) == ["ServiceRestarted"] && events.first?.message == "k3s.service restarted: main process 812 replaced by 2210"
            )
            #expect(events.first?.type == "Warning" && events.first?.uid == "node/ServiceRestarted/b/k3s.service/2210/9000")
        }
    }

    @Test("a real unit cgroup on this machine: its process killed and replaced is one ServiceRestarted", .enabled(if: getuid() == 0))
    func realCgroup() throws {
        let unit = "edgewatch-test-\(UInt32.random(in: 0...UInt32.max)).service"
        let candidates = ["/sys/fs/cgroup/system.slice", "/sys/fs/cgroup/systemd/system.slice", "/sys/fs/cgroup/unified/system.slice"]
        guard
            let parent = candidates.first(where: { FileManager.default.fileExists(atPath: $0) })
                ?? candidates.dropFirst().first(where: {
                    FileManager.default.fileExists(atPath: ($0 as NSString).deletingLastPathComponent) && mkdir($0, 0o755) == 0
                })
        else { return }
        let directory = parent + "/" + unit
        #expect(mkdir(directory, 0o755) == 0, "mkdir \(directory): \(String(cString: strerror(errno)))")
        defer { rmdir(directory) }
        func start() throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "echo $$ > \(directory)/cgroup.procs; exec sleep 20"]
            try process.run()
            for _ in 0..<100
            where !((try? String(contentsOfFile: directory + "/cgroup.procs", encoding: .utf8)) ?? "").contains("\(process.processIdentifier)") {
                usleep(10_000)
            }
            return process
        }
        var watch = ServiceWatch(sys: FileTree(root: "/sys"), proc: FileTree(root: "/proc"), units: [unit], node: "pi-1")
        let first = try start()
        #expect(watch.observe(at: 1, bootID: "b").isEmpty)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let second = try start()
        defer {
            kill(second.processIdentifier, SIGKILL)
            second.waitUntilExit()
        }
        let events = watch.observe(at: 2, bootID: "b")
        #expect(events.count == 1 && events.first?.message.contains("replaced by \(second.processIdentifier)") == true, "\(events)")
    }
}
