import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Rules evaluated by the real agent: on this machine's data, across a restart, and delivered
/// to a real Alertmanager.
@Suite("Agent rules", .serialized)
struct AgentRulesTests {
    static func json(_ port: UInt16, _ path: String) throws -> [String: Any] {
        let (status, body) = try HTTPGet.fetch(port: port, path: path, accept: "application/json")
        guard status == 200, let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw HarnessError("\(path) answered \(status): \(body.prefix(300))")
        }
        return object
    }

    static func rules(_ port: UInt16) throws -> [[String: Any]] {
        let data = try json(port, "/api/v1/rules")["data"] as? [String: Any]
        return ((data?["groups"] as? [[String: Any]]) ?? []).flatMap { ($0["rules"] as? [[String: Any]]) ?? [] }
    }

    static func alerts(_ port: UInt16) throws -> [[String: Any]] {
        ((try json(port, "/api/v1/alerts")["data"] as? [String: Any])?["alerts"] as? [[String: Any]]) ?? []
    }

    static func waitUntil(timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    @Test("with no config file at all (make run) the agent evaluates the built-in edge rule set")
    func zeroEdits() throws {
        let scratch = try AgentScratch()
        let port = try NodeExporterPeer.freePort()
        let agent = try AgentProcess(directory: scratch.path, config: "", port: port, extra: ["--store", scratch.store, "--interval", "1s"])
        defer {
            agent.signal(SIGTERM)
            _ = agent.wait()
        }
        var groups: [[String: Any]] = []
        let loaded = try Self.waitUntil(timeout: 15) {
            groups = (((try? Self.json(port, "/api/v1/rules"))?["data"] as? [String: Any])?["groups"] as? [[String: Any]]) ?? []
            return !groups.isEmpty
        }
        #expect(loaded, "\(agent.log.suffix(1500))")
        #expect(Set(groups.compactMap { $0["file"] as? String }) == ["builtin:edge"])
        #expect(groups.compactMap { $0["name"] as? String } == ["edge-node", "edge-raspberry-pi", "edge-pods", "edge-gpu", "edge-events"])
    }

    @Test("the built-in edge and node-mixin rule sets evaluate on this machine without errors")
    func shippedRulesEvaluateOnLiveData() throws {
        let scratch = try AgentScratch(interval: "500ms", flush: "1s", collectors: [])
        try (try String(contentsOfFile: scratch.config, encoding: .utf8)).replacingOccurrences(of: "  collectors: []\n", with: "")
            .appending("\nrules:\n  evaluation_interval: 1s\n  builtin: [edge, node-mixin]\n")
            .write(toFile: scratch.config, atomically: true, encoding: .utf8)
        let port = try NodeExporterPeer.freePort()
        let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: port)
        var rules: [[String: Any]] = []
        let evaluated = try Self.waitUntil(timeout: 20) {
            rules = (try? Self.rules(port)) ?? []
            return rules.count == 52 && rules.allSatisfy { ($0["health"] as? String) != "unknown" }
        }
        #expect(evaluated, "rules not all evaluated: \(rules.count)\n\(agent.log.suffix(2000))")
        for rule in rules where (rule["health"] as? String) != "ok" {
            Issue.record("rule \(rule["name"] ?? "?") failed: \(rule["lastError"] ?? "")")
        }
        sleep(2)
        agent.signal(SIGTERM)
        #expect(agent.wait() == 0)
        // Recording rule outputs went to the store with the cycles.
        let cpus = try Harness.run(
            Harness.edgewatch,
            ["query", "instance:node_num_cpu:sum", "--store", scratch.store, "--since", "1h", "--format", "csv"]
        )
        let online = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        #expect(cpus.stdout.split(separator: "\n").dropFirst().contains { $0.hasSuffix(",\(online)") }, "\(cpus.stdout.prefix(500)) \(cpus.stderr)")
        let memory = try Harness.run(
            Harness.edgewatch,
            ["query", "instance:node_memory_utilisation:ratio", "--store", scratch.store, "--since", "1h", "--format", "csv"]
        )
        let ratios = memory.stdout.split(separator: "\n").dropFirst().compactMap { Double($0.split(separator: ",").last ?? "") }
        #expect(!ratios.isEmpty && ratios.allSatisfy { $0 > 0 && $0 < 1 }, "\(memory.stdout.prefix(500))")
    }

    @Test(
        "an alert on a cgroup under memory pressure goes pending, firing, survives a restart, reaches Alertmanager and resolves",
        .enabled(if: getuid() == 0 && FileManager.default.fileExists(atPath: "/sys/fs/cgroup"))
    )
    func memoryPressureAlertLifecycle() throws {
        let stress = try #require(Harness.which(["stress-ng"]), "stress-ng is not installed (make test installs it)")
        guard let amBinary = AlertmanagerPeer.binary else {
            #expect(!Harness.peersRequired, "prometheus-alertmanager is required (make test installs it)")
            return
        }
        let alertmanager = try AlertmanagerPeer(binary: amBinary)
        let cgroup = try KubepodsCgroup(driver: .cgroupfs)
        defer { cgroup.remove() }
        let scratch = try AgentScratch(interval: "500ms", flush: "1s", collectors: ["cgroup"])
        let rootfs = scratch.path + "/rootfs"
        try RealCgroupTests.logTree(rootfs, uid: cgroup.uid, container: cgroup.containerID)
        cgroup.set(cgroup.version == 1 ? "memory.limit_in_bytes" : "memory.max", "134217728")
        try """
        groups:
          - name: pods
            interval: 1s
            rules:
              - alert: PodMemoryPressure
                expr: container_memory_working_set_bytes{namespace="edge", container="stress"} / container_spec_memory_limit_bytes > 0.3
                for: 4s
                labels:
                  severity: warning
                annotations:
                  summary: "{{ $labels.pod }} uses {{ $value | humanizePercentage }} of its limit"
        """.write(toFile: scratch.path + "/rules.yml", atomically: true, encoding: .utf8)
        try (try String(contentsOfFile: scratch.config, encoding: .utf8)).appending(
            """

            collect_rootfs_placeholder: x
            rules:
              files: [rules.yml]
            alerting:
              alertmanagers: [http://127.0.0.1:\(alertmanager.port)]
              resend_interval: 2s

            """
        ).replacingOccurrences(of: "collect_rootfs_placeholder: x\n", with: "")
            .replacingOccurrences(of: "collect:\n", with: "collect:\n  rootfs: \(rootfs)\n")
            .write(toFile: scratch.config, atomically: true, encoding: .utf8)

        let process = try cgroup.runStress(stress, "--vm 1 --vm-bytes 72M --vm-keep --timeout 60s --quiet")
        func stopStress() { cgroup.killAll(process) }
        defer { stopStress() }

        let port = try NodeExporterPeer.freePort()
        var agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: port)
        // The built-in edge rules run too: find this test's alert by name.
        func pressureAlert() -> [String: Any]? {
            (try? Self.alerts(port))?.first { ($0["labels"] as? [String: String])?["alertname"] == "PodMemoryPressure" }
        }
        func state() -> String? { pressureAlert()?["state"] as? String }
        #expect(Self.waitUntil(timeout: 20) { state() == "pending" }, "never pending:\n\(agent.log.suffix(2000))")
        #expect(Self.waitUntil(timeout: 20) { state() == "firing" }, "never firing:\n\(agent.log.suffix(2000))")
        let firstActiveAt = pressureAlert()?["activeAt"] as? String
        #expect(
            try Self.waitUntil(timeout: 20) {
                try alertmanager.alerts().contains {
                    $0["alertname"] == "PodMemoryPressure" && $0["pod"] == "stress-demo" && $0["severity"] == "warning"
                }
            },
            "Alertmanager never received the alert"
        )

        // Restart: the alert comes back firing at once, with its original start.
        agent.signal(SIGTERM)
        #expect(agent.wait() == 0)
        agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: port)
        #expect(Self.waitUntil(timeout: 20) { state() != nil }, "no alert after restart:\n\(agent.log.suffix(2000))")
        #expect(state() == "firing", "after restart the alert should be firing at once, not pending")
        // ALERTS_FOR_STATE holds whole seconds, as in Prometheus.
        func seconds(_ text: String?) -> String? { text.map { String($0.prefix(19)) } }
        #expect(seconds(pressureAlert()?["activeAt"] as? String) == seconds(firstActiveAt))

        // Pressure gone: the alert resolves, and Alertmanager hears it.
        stopStress()
        #expect(Self.waitUntil(timeout: 20) { state() == nil }, "never resolved:\n\(agent.log.suffix(2000))")
        #expect(
            try Self.waitUntil(timeout: 20) { try !alertmanager.alerts().contains { $0["alertname"] == "PodMemoryPressure" } },
            "Alertmanager still shows the alert as active"
        )
        agent.signal(SIGTERM)
        #expect(agent.wait() == 0)

        // The store holds the ALERTS series: pending, then firing.
        let query = try Harness.run(
            Harness.edgewatch,
            ["query", #"ALERTS{alertname="PodMemoryPressure"}"#, "--store", scratch.store, "--since", "1h", "--format", "csv"]
        )
        #expect(query.stdout.contains(#"alertstate=""pending"""#) && query.stdout.contains(#"alertstate=""firing"""#), "\(query.stdout.prefix(1000))")
    }
}
