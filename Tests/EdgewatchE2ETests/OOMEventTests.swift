import EdgewatchCore
import EdgewatchStore
import FakeAPIServer
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A real OOM kill: stress-ng in a memory-limited kubepods cgroup on this machine, watched by the
/// real agent reading the real kernel log.
@Suite("OOM kill event", .serialized, .enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: "/sys/fs/cgroup")))
struct OOMEventTests {
    @Test("stress-ng killed by the OOM killer in a 32 MiB container: exactly one OOMKilled naming pod, container and process")
    func realOOMKill() throws {
        let stress = try #require(Harness.which(["stress-ng"]), "stress-ng is not installed (make test installs it)")
        let cgroup = try KubepodsCgroup(driver: .systemd)
        defer { cgroup.remove() }
        let scratch = try AgentScratch()
        let rootfs = scratch.path + "/rootfs"
        try RealCgroupTests.logTree(rootfs, uid: cgroup.uid, container: cgroup.containerID)
        try """
        node:
          name: test-node
        collect:
          interval: 200ms
          collectors: [cgroup]
          rootfs: \(rootfs)
        store:
          path: \(scratch.store)
          flush_interval: 400ms
        events:
          node:
            kmsg: /dev/kmsg
        """.write(toFile: scratch.config, atomically: true, encoding: .utf8)
        cgroup.set(cgroup.version == 1 ? "memory.limit_in_bytes" : "memory.max", "33554432")
        if cgroup.version == 1 { cgroup.set("memory.memsw.limit_in_bytes", "33554432") } else { cgroup.set("memory.swap.max", "0") }
        let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        #expect(agent.waitForLog("agent starting"))
        usleep(600_000)
        // --oomable: the killed worker is not restarted, so the kernel kills exactly once.
        let process = try cgroup.runStress(stress, "--vm 1 --vm-bytes 96M --vm-keep --oomable --timeout 20s --quiet")
        defer { cgroup.killAll(process) }
        var kills: [EventRecord] = []
        let deadline = Date().addingTimeInterval(25)
        while Date() < deadline {
            kills = (try? StoreReader(path: scratch.store).events(matching: EventFilter(source: .node, reason: "OOMKilled"))) ?? []
            if !kills.isEmpty, !process.isRunning { break }
            usleep(200_000)
        }
        usleep(800_000)
        agent.signal(SIGTERM)
        #expect(agent.wait() == 0)
        kills = try StoreReader(path: scratch.store).events(matching: EventFilter(source: .node, reason: "OOMKilled"))
        let kernelKills = cgroup.read(cgroup.version == 1 ? "memory.oom_control" : "memory.events")
        #expect(kills.count == 1, "\(kills.map(\.message)); kernel: \(String(describing: kernelKills))\n\(agent.log.suffix(1500))")
        let kill = try #require(kills.first)
        #expect(kill.object == EventRecord.InvolvedObject(kind: "Pod", namespace: "edge", name: "stress-demo"))
        #expect(kill.message.contains("container stress of pod edge/stress-demo") && kill.message.contains("stress-ng"), "\(kill.message)")
        #expect(kill.type == "Warning" && kill.node == "test-node" && kill.uid.hasPrefix("node/OOMKilled/\(cgroup.id)/"))
    }
}

/// Pod names from the apiserver's pod watch for container metrics, with no kubelet log trees.
@Suite("Pod names from the pod watch", .serialized, .enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: "/sys/fs/cgroup")))
struct PodWatchNamesTests {
    @Test("a container's metrics carry namespace, pod and container from the pod watch before /var/log/pods exists")
    func namesFromThePodWatch() async throws {
        let cgroup = try KubepodsCgroup(driver: .cgroupfs)
        defer { cgroup.remove() }
        let scratch = try AgentScratch()
        let certificates = try FakeCertificates(directory: scratch.path + "/pki", node: "test-node")
        let server = try await FakeAPIServer(tls: try certificates.serverContext())
        defer { server.stop() }
        server.add(FakePod(uid: cgroup.uid, namespace: "edge", name: "web-0", nodeName: "test-node", containers: [("app", cgroup.containerID)]))
        try certificates.kubeconfig(port: server.port).write(toFile: scratch.path + "/k3s.yaml", atomically: true, encoding: .utf8)
        try """
        node:
          name: test-node
        collect:
          interval: 200ms
          collectors: [cgroup]
          rootfs: \(scratch.path)/empty-rootfs
        store:
          path: \(scratch.store)
        events:
          kubernetes:
            kubeconfig: \(scratch.path)/k3s.yaml
        """.write(toFile: scratch.config, atomically: true, encoding: .utf8)
        let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        let wanted = "container=\"app\",id=\"\(cgroup.id)\",namespace=\"edge\",pod=\"web-0\""
        var metrics = ""
        for _ in 0..<100 {
            metrics = (try? HTTPGet.fetch(port: agent.port, path: "/metrics").1) ?? ""
            if metrics.contains(wanted) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(metrics.contains("container_memory_usage_bytes{" + wanted), "\(agent.log.suffix(1500))")
        agent.signal(SIGTERM)
        #expect(agent.wait() == 0)
    }
}
