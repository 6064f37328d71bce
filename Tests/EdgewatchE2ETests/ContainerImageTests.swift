import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `make image`'s OCI archive, built with buildah, read by skopeo and run with podman the way the k3s
/// DaemonSet runs it: host network, the host's /proc, /sys and / read-only under /host, the
/// manifest's ConfigMap as config and rules, root with only CAP_SYSLOG, a read-only root filesystem.
/// buildah and podman keep their storage in the test's scratch directory (vfs), so the machine is
/// left as found.
@Suite("Container image", .serialized)
struct ContainerImageTests {
    static let tools = ["/usr/bin/buildah", "/usr/bin/podman", "/usr/bin/skopeo", "/usr/sbin/runc"]

    static var available: Bool {
        getuid() == 0 && FileManager.default.isExecutableFile(atPath: DebianPackageTests.binary)
            && tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(
        "builds from scratch, skopeo reads it, podman runs it with the manifest's config: node and cgroup series of the host, the edge rules",
        .enabled(if: available || Harness.peersRequired),
        .timeLimit(.minutes(5))
    )
    func buildInspectRun() async throws {
        let scratch = try ImageScratch()
        defer { scratch.remove() }
        let build = try Harness.run(
            "/usr/bin/python3",
            [Harness.packageRoot.path + "/scripts/make_image.py", "--binary", DebianPackageTests.binary, "--output", scratch.archive],
            timeout: 240
        )
        #expect(build.status == 0, "\(build.stderr)")
        let version = try Harness.run(DebianPackageTests.binary, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let inspect = try JSONValue(parsing: try Harness.run("/usr/bin/skopeo", ["inspect", "oci-archive:" + scratch.archive]).stdout)
        #expect(inspect["Labels"]?["org.opencontainers.image.version"]?.string == version)
        #expect(inspect["Os"]?.string == "linux")
        let config = try JSONValue(parsing: try Harness.run("/usr/bin/skopeo", ["inspect", "--config", "oci-archive:" + scratch.archive]).stdout)
        #expect(config["config"]?["User"]?.string == "65532:65532", "the image's own user is not root")
        #expect(config["config"]?["Entrypoint"]?.array?.map(\.string) == ["/usr/bin/edgewatch"])
        let size = (try FileManager.default.attributesOfItem(atPath: scratch.archive)[.size] as? Int) ?? 0
        #expect(size > 0 && size < 40 << 20, "image archive is \(size) bytes")

        // As the image's own user, without the host: it runs.
        let plain = try scratch.podman(["run", "--rm", "--network", "none", "oci-archive:" + scratch.archive, "--version"])
        #expect(plain.status == 0 && plain.stdout.contains(version), "podman run: \(plain.status) \(plain.stdout)\(plain.stderr)")

        let cgroup = try KubepodsCgroup()
        defer { cgroup.remove() }
        let sleeper = try cgroup.runStress("/bin/sleep", "120")
        defer { cgroup.killAll(sleeper) }
        try scratch.writeManifestConfig()
        let port = try NodeExporterPeer.freePort()
        // In the foreground, as a child of the test: stopped with `podman stop`, its exit status is the agent's.
        let container = try scratch.podmanProcess(
            [
                "run", "--name", scratch.name, "--network", "host", "--user", "0:0", "--cap-drop", "all", "--cap-add", "SYSLOG",
                "--read-only", "--tmpfs", "/tmp", "--security-opt", "no-new-privileges",
                "-v", "/proc:/host/proc:ro", "-v", "/sys:/host/sys:ro", "-v", "/:/host/root:ro,rslave",
                "-v", scratch.store + ":/var/lib/edgewatch", "-v", scratch.configFile + ":/etc/edgewatch/edgewatch.yaml:ro",
                "-v", scratch.rulesDirectory + ":/etc/edgewatch/rules.d:ro",
                "oci-archive:" + scratch.archive,
                "agent", "--config", "/etc/edgewatch/edgewatch.yaml", "--node-name", "image-test", "--listen", "127.0.0.1:\(port)",
                "--interval", "1s",
            ]
        )
        defer { if container.isRunning { kill(container.processIdentifier, SIGKILL) } }
        var metrics = ""
        try await Harness.poll(times: 240, every: .milliseconds(250)) {
            guard let (status, body) = try? HTTPGet.fetch(port: port, path: "/metrics"), status == 200, body.contains(cgroup.id) else { return false }
            metrics = body
            return true
        }
        let log = scratch.log
        let samples = Exposition.parse(metrics)
        let names = Set(samples.keys.map(\.name))
        for name in [
            "node_load1", "node_cpu_seconds_total", "node_memory_MemAvailable_bytes", "node_network_receive_bytes_total",
            "node_filesystem_avail_bytes",
        ] {
            #expect(names.contains(name), "\(name) missing; podman and agent log:\n\(log.suffix(3000))")
        }
        #expect(
            samples.keys.contains { $0.name == "container_memory_usage_bytes" && $0.labels["id"] == cgroup.id },
            "the host's test cgroup is missing"
        )
        // The ConfigMap's rules, from the mounted rules.d.
        let rules = try AgentRulesTests.json(port, "/api/v1/rules")["data"] as? [String: Any]
        let files = Set(((rules?["groups"] as? [[String: Any]]) ?? []).compactMap { $0["file"] as? String })
        #expect(files == ["/etc/edgewatch/rules.d/edge.yaml"], "\(files)")
        let stop = try scratch.podman(["stop", "-t", "20", scratch.name])
        #expect(stop.status == 0, "\(stop.stderr)")
        try await Harness.poll(times: 300, every: .milliseconds(100)) { !container.isRunning }
        #expect(!container.isRunning && container.terminationStatus == 0, "SIGTERM: flush and exit 0; log:\n\(scratch.log.suffix(1500))")
        #expect(FileManager.default.fileExists(atPath: scratch.store + "/store.db"), "the store is on the host path")
        try await hubRuns(scratch)
    }

    /// The same image as a hub: the libraries it opens for PostgreSQL and remote_write are in it.
    func hubRuns(_ scratch: ImageScratch) async throws {
        let image = "oci-archive:" + scratch.archive
        // PostgreSQL: libpq loads and reports the refused connection.
        let postgres = try scratch.podman(
            [
                "run", "--rm", "--network", "none", image, "hub", "--data", "/tmp/hub", "--postgres",
                "host=127.0.0.1 port=1 dbname=x connect_timeout=2",
            ]
        )
        let said = postgres.stdout + postgres.stderr
        #expect(postgres.status != 0 && !said.contains("cannot load libpq") && said.contains("127.0.0.1"), "\(said.suffix(1500))")
        // remote_write: libsnappy loads and the hub serves, its target's queue on /metrics.
        let config = scratch.path + "/hub.yaml"
        try "remote_write:\n  - url: http://127.0.0.1:1/api/v1/write\n".write(toFile: config, atomically: true, encoding: .utf8)
        let port = try NodeExporterPeer.freePort()
        let hub = try scratch.podmanProcess(
            [
                "run", "--rm", "--name", scratch.name + "-hub", "--network", "host", "--read-only", "--tmpfs", "/tmp",
                "-v", config + ":/etc/edgewatch/hub.yaml:ro", image,
                "hub", "--listen", "127.0.0.1:\(port)", "--data", "/tmp/hub", "--config", "/etc/edgewatch/hub.yaml",
            ]
        )
        defer { if hub.isRunning { kill(hub.processIdentifier, SIGKILL) } }
        var metrics = ""
        try await Harness.poll(times: 240, every: .milliseconds(250)) {
            metrics = (try? HTTPGet.fetch(port: port, path: "/metrics"))?.1 ?? ""
            return !hub.isRunning || metrics.contains("edgewatch_hub_remote_write_queued_blocks{target=")
        }
        #expect(metrics.contains("edgewatch_hub_remote_write_queued_blocks{target="), "hub log:\n\(scratch.log.suffix(2000))")
        let stop = try scratch.podman(["stop", "-t", "20", scratch.name + "-hub"])
        #expect(stop.status == 0, "\(stop.stderr)")
    }
}
