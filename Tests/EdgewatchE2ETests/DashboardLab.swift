import FakeAPIServer
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What the dashboards test queries: a real hub; four real agents sending to it — this machine
/// (with a real pod cgroup under memory pressure that gets OOM-killed, names from the fake
/// apiserver, Kubernetes events) and the Raspberry Pi, Jetson and x86 fixture trees (the x86 one
/// with the stub NVML's GPU) — and a real Prometheus scraping all four every second.
final class DashboardLab {
    let directory: String
    let hub: HubProcess
    let server: FakeAPIServer
    let cgroup: KubepodsCgroup
    let nvml: NVIDIAGPUTests.Stub
    private(set) var agents: [AgentProcess] = []
    private(set) var prometheus: PrometheusPeer?
    private var stress: Process?

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-dashboards-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        hub = try HubProcess()
        try (hub.token + "\n").write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        let certificates = try FakeCertificates(directory: directory + "/pki", node: "test-node")
        server = try await FakeAPIServer(tls: try certificates.serverContext(), bookmarkMilliseconds: 300)
        try certificates.kubeconfig(port: server.port).write(toFile: directory + "/k3s.yaml", atomically: true, encoding: .utf8)
        cgroup = try KubepodsCgroup()
        nvml = try NVIDIAGPUTests.Stub()
        try "devices=1\n".write(toFile: nvml.config, atomically: true, encoding: .utf8)
    }

    /// Starts the workload, the agents and Prometheus.
    func start(stressNG: String) throws {
        server.add(
            FakePod(uid: cgroup.uid, namespace: "edge", name: "stress-demo", nodeName: "test-node", containers: [("stress", cgroup.containerID)])
        )
        for index in 0..<3 {
            _ = server.add(
                FakeEvent(
                    reason: "BackOff",
                    message: "Back-off restarting failed container stress (\(index))",
                    type: "Warning",
                    involvedKind: "Pod",
                    involvedNamespace: "edge",
                    involvedName: "stress-demo",
                    involvedUID: cgroup.uid,
                    reporter: .kubelet(host: "test-node")
                )
            )
        }
        // A 32 MiB limit and 96 MiB wanted: the kernel OOM-kills the worker over and over; a CPU quota throttles it.
        if cgroup.version == 1 {
            cgroup.set("memory.limit_in_bytes", "33554432")
            cgroup.set("memory.memsw.limit_in_bytes", "33554432")
            cgroup.set("cpu.cfs_period_us", "100000")
            cgroup.set("cpu.cfs_quota_us", "20000")
        } else {
            cgroup.set("memory.max", "33554432")
            cgroup.set("memory.swap.max", "0")
            cgroup.set("cpu.max", "20000 100000")
        }
        stress = try cgroup.runStress(stressNG, "--vm 1 --vm-bytes 96M --vm-keep --cpu 1 --timeout 90s --quiet")
        let fixtures = Harness.fixtures.path
        agents = [
            try agent("test-node", "events:\n  kubernetes:\n    kubeconfig: \(directory)/k3s.yaml\n"),
            try agent("pi-fixture", fixture: fixtures + "/pi4-k3s"),
            try agent("jetson-fixture", fixture: fixtures + "/jetson-orin-nano"),
            try agent(
                "x86-fixture",
                fixture: fixtures + "/x86-server",
                environment: ["EDGEWATCH_NVML_LIBRARY": nvml.library, "NVML_STUB_CONFIG": nvml.config]
            ),
        ]
        let targets = agents.map { "'127.0.0.1:\($0.port)'" }.joined(separator: ", ")
        guard let binary = Harness.which(["prometheus"]) else { throw HarnessError("prometheus is not installed (make test installs it)") }
        prometheus = try PrometheusPeer(
            binary: binary,
            storage: directory + "/tsdb",
            directory: directory,
            configuration:
                "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: edgewatch\n    static_configs:\n      - targets: [\(targets)]\n"
        )
    }

    /// An agent named `node` collecting every second and sending raw samples to the hub; with a
    /// fixture tree its procfs, sysfs and rootfs, and neither the kernel log nor Kubernetes.
    private func agent(_ node: String, _ extra: String = "", fixture: String? = nil, environment: [String: String] = [:]) throws -> AgentProcess {
        let path = directory + "/" + node
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var config = """
            node:
              name: \(node)
            collect:
              interval: 1s
            store:
              path: \(path)/store.db
              flush_interval: 1s
            rules:
              evaluation_interval: 1s
            uplink:
              url: http://127.0.0.1:\(hub.port)
              token_file: \(directory)/token
              resolution: raw
              window: 1s
              clock_sync_wait: 0s

            """
        if let fixture {
            config = config.replacingOccurrences(
                of: "  interval: 1s\n",
                with: "  interval: 1s\n  procfs: \(fixture)/proc\n  sysfs: \(fixture)/sys\n  rootfs: \(fixture)/root\n"
            )
            config += "events:\n  node:\n    kmsg: \"\"\n  kubernetes:\n    enabled: false\nlogs:\n  enabled: false\n"
        }
        try (config + extra).write(toFile: path + "/edgewatch.yaml", atomically: true, encoding: .utf8)
        return try AgentProcess(directory: path, config: path + "/edgewatch.yaml", port: try NodeExporterPeer.freePort(), environment: environment)
    }

    /// Stops everything and removes what the lab made.
    func stop() {
        for agent in agents {
            agent.signal(SIGTERM)
            _ = agent.wait()
        }
        if let stress { cgroup.killAll(stress) }
        cgroup.remove()
        server.stop()
        prometheus = nil
        try? FileManager.default.removeItem(atPath: directory)
    }
}
