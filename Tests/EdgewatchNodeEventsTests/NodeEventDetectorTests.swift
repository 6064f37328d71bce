import EdgewatchCore
import EdgewatchNodeEvents
import Foundation
import Testing

@Suite("Node-local events")
struct NodeEventDetectorTests {
    static let id = "/kubepods/burstable/pod7d9f2a3c-1b2e-4c5d-8e9f-0a1b2c3d4e5f/4f1c2e9a8b7d"

    func families(_ series: [(String, [String: String], Double)]) -> [MetricFamily] {
        var set = MetricSet()
        for (name, labels, value) in series {
            set.add(name, "", name.hasSuffix("_total") ? .counter : .gauge, value, Labels(labels.map { Label($0.key, $0.value) }))
        }
        return set.sortedFamilies().families
    }

    func container(_ id: String, container: String = "infer", oom: Double) -> (String, [String: String], Double) {
        ("container_oom_events_total", ["id": id, "namespace": "edge", "pod": "detector-0", "container": container], oom)
    }

    @Test("kernel log records: oom-kill lines give cgroup, task and pid; NVRM Xid lines give the PCI address and code")
    func kernelLogLines() throws {
        let oom = try #require(
            KernelLogRecord.parse(
                "6,2201,94023845,-;oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=4f1c2e9a8b7d,mems_allowed=0,oom_memcg=\(Self.id),task_memcg=\(Self.id),task=stress-ng-vm,pid=41234,uid=0"
            )
        )
        #expect(oom.sequence == 2201 && oom.microseconds == 94_023_845)
        #expect(oom.oomKill?.cgroup == Self.id && oom.oomKill?.task == "stress-ng-vm" && oom.oomKill?.pid == 41234)
        let xid = try #require(
            KernelLogRecord.parse("4,3302,100000,-;NVRM: Xid (PCI:0000:01:00): 79, pid=1234, name=python3, GPU has fallen off the bus.")
        )
        #expect(xid.xid?.pci == "0000:01:00" && xid.xid?.code == 79 && xid.xid?.text.hasPrefix("pid=1234") == true)
        #expect(KernelLogRecord.parse(" SUBSYSTEM=memory") == nil)
        #expect(KernelLogRecord.parse("6,x,1,-;text") == nil)
    }

    @Test("one OOMKilled per kill, named after the process the kernel killed; stable uids; starts, exits and restarts")
    func containers() throws {
        var detector = NodeEventDetector(node: "pi-1")
        #expect(detector.observe(families([container(Self.id, oom: 0)]), at: 1000, bootID: "b", kernelLog: []).isEmpty)
        let kill = try #require(
            KernelLogRecord.parse("6,10,5,-;oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=\(Self.id),task=python3,pid=99,uid=0")
        )
        let events = detector.observe(families([container(Self.id, oom: 2)]), at: 2000, bootID: "b", kernelLog: [kill])
        #expect(events.map(\.reason) == ["OOMKilled", "OOMKilled"])
        #expect(events[0].message.contains("process python3 (pid 99)") && events[0].message.contains("container infer of pod edge/detector-0"))
        #expect(events[1].message.contains("process unknown"))
        #expect(events.map(\.uid) == ["node/OOMKilled/\(Self.id)/1", "node/OOMKilled/\(Self.id)/2"])
        #expect(events[0].object == EventRecord.InvolvedObject(kind: "Pod", namespace: "edge", name: "detector-0") && events[0].type == "Warning")
        // The container is replaced: exit, then the same pod and container name with a new id is a restart.
        let next = Self.id.replacingOccurrences(of: "4f1c2e9a8b7d", with: "9e8d7c6b5a4f")
        let restart = detector.observe(
            families([container(next, oom: 0), container("/kubepods/x/new", container: "sidecar", oom: 0)]),
            at: 3000,
            bootID: "b",
            kernelLog: nil
        )
        #expect(restart.map(\.reason).sorted() == ["ContainerExited", "ContainerRestarted", "ContainerStarted"])
        // A fresh agent seeing a container that was OOM-killed before reports those kills (the store drops repeats by uid).
        var fresh = NodeEventDetector(node: "pi-1")
        #expect(fresh.observe(families([container(Self.id, oom: 2)]), at: 4000, bootID: "b", kernelLog: nil).map(\.uid) == events.map(\.uid))
    }

    @Test("conditions: filesystem full with hysteresis and read-only remounts, Pi power and throttling with their ends, GPU lost and back, Xid")
    func conditions() throws {
        var detector = NodeEventDetector(node: "pi-1")
        func cycle(avail: Double, readonly: Double, voltage: Double, gpu: Double, xid: Double, at time: Int64) -> [String] {
            detector.observe(
                families([
                    ("node_filesystem_size_bytes", ["mountpoint": "/", "device": "/dev/mmcblk0p2"], 100),
                    ("node_filesystem_avail_bytes", ["mountpoint": "/", "device": "/dev/mmcblk0p2"], avail),
                    ("node_filesystem_readonly", ["mountpoint": "/data", "device": "/dev/sda1"], readonly),
                    ("edgewatch_rpi_throttle_state", ["condition": "under_voltage", "scope": "now"], voltage),
                    ("edgewatch_rpi_throttle_state", ["condition": "under_voltage", "scope": "since_boot"], 1),
                    ("edgewatch_gpu_up", ["gpu": "0"], gpu),
                    ("edgewatch_gpu_xid_errors_total", ["gpu": "0", "xid": "79"], xid),
                ]),
                at: time,
                bootID: "b",
                kernelLog: nil
            ).map(\.reason)
        }
        #expect(cycle(avail: 3, readonly: 1, voltage: 1, gpu: 1, xid: 0, at: 1).isEmpty, "conditions holding at first sight are the baseline")
        #expect(cycle(avail: 3, readonly: 1, voltage: 0, gpu: 0, xid: 1, at: 2) == ["UnderVoltageEnded", "GPULost", "GPUXidError"])
        #expect(cycle(avail: 50, readonly: 0, voltage: 1, gpu: 1, xid: 1, at: 3) == ["UnderVoltage", "GPURecovered"])
        #expect(cycle(avail: 4, readonly: 1, voltage: 1, gpu: 1, xid: 1, at: 4) == ["FilesystemFull", "FilesystemReadOnly"])
        #expect(cycle(avail: 8, readonly: 1, voltage: 1, gpu: 1, xid: 1, at: 5).isEmpty, "92 % used: still full (cleared below 90 %)")
        #expect(cycle(avail: 20, readonly: 1, voltage: 1, gpu: 1, xid: 1, at: 6).isEmpty)
        #expect(cycle(avail: 2, readonly: 1, voltage: 1, gpu: 1, xid: 1, at: 7) == ["FilesystemFull"])
    }

    @Test("the kernel log is read from where the last run stopped; a regular file stands in for /dev/kmsg")
    func kernelLogPosition() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("kmsg-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "6,1,10,-;first\n6,2,20,-;second\n".write(toFile: path, atomically: true, encoding: .utf8)
        let log = KernelLog(path: path, after: 1)
        #expect(log.read().map(\.message) == ["second"])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("6,3,30,-;third\n".utf8))
        try handle.close()
        #expect(log.read().map(\.message) == ["third"] && log.lastSequence == 3)
        #expect(KernelLog(path: path + ".absent").read().isEmpty)
    }
}
