import EdgewatchCore
import EdgewatchStore
import FakeAPIServer
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real agent against the fake apiserver (HTTPS, client certificates as k3s issues them),
/// forwarding to the real hub through the fault-injecting proxy, killed with -9 mid-watch.
@Suite("Kubernetes events end to end", .serialized)
struct KubernetesEventsTests {
    @Test("every occurrence for this node stored once across kill -9 and restarts, none of the other node's; on the hub once; counted in /metrics")
    func killedMidWatch() async throws {
        let scratch = try AgentScratch(interval: "200ms", flush: "400ms")
        let certificates = try FakeCertificates(directory: scratch.path + "/pki", node: "test-node")
        let server = try await FakeAPIServer(tls: try certificates.serverContext(), bookmarkMilliseconds: 300)
        defer { server.stop() }
        let web = FakePod(name: "web-0", nodeName: "test-node")
        let other = FakePod(name: "db-0", nodeName: "other-node")
        server.add(web)
        server.add(other)
        var mine: [String] = []
        var theirs: [String] = []
        func addPair(_ index: Int) {
            mine.append(
                server.add(
                    FakeEvent(
                        reason: "BackOff",
                        message: "Back-off restarting failed container app (\(index))",
                        type: "Warning",
                        involvedKind: "Pod",
                        involvedName: web.name,
                        involvedUID: web.uid,
                        reporter: .kubelet(host: "test-node")
                    )
                ).uid
            )
            theirs.append(
                server.add(
                    FakeEvent(
                        reason: "BackOff",
                        message: "Back-off pulling image (\(index))",
                        type: "Warning",
                        involvedKind: "Pod",
                        involvedName: other.name,
                        involvedUID: other.uid,
                        reporter: .kubelet(host: "other-node")
                    )
                ).uid
            )
        }
        for index in 0..<5 { addPair(index) }
        let kubeconfig = scratch.path + "/k3s.yaml"
        try certificates.kubeconfig(port: server.port).write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let hub = try HubProcess()
        let proxy = try FaultProxy(target: hub.port)
        defer { proxy.stop() }
        try UplinkTests.agentConfig(scratch, hub: hub, port: proxy.port, extra: "events:\n  kubernetes:\n    kubeconfig: \(kubeconfig)\n")
        var agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        #expect(agent.waitForLog("kubernetes events on"), "\(agent.log.suffix(2000))")
        proxy.set(.resetResponse(after: 40), every: 3)
        for round in 0..<3 {
            for step in 0..<12 {
                for uid in mine.suffix(3) + theirs.suffix(2) { server.repeatEvent(uid) }
                if step % 4 == 0 { addPair(round * 100 + step) }
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...150)))
            }
            if round < 2 {
                agent.signal(SIGKILL)
                _ = agent.wait()
                agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
            }
        }
        proxy.set(.none)
        let counts = server.currentCounts
        let complete = await eventually(30) { (try? Self.sums(scratch.store)) == counts.filter { mine.contains($0.key) }.mapValues(Int64.init) }
        let sums = try Self.sums(scratch.store)
        #expect(complete, "store: \(sums.count) events, expected \(mine.count); \(agent.log.suffix(1500))")
        #expect(Set(sums.keys).isDisjoint(with: theirs))
        let (_, metrics) = try HTTPGet.fetch(port: agent.port, path: "/metrics")
        #expect(metrics.contains("edgewatch_events_total{reason=\"BackOff\",source=\"kubernetes\",type=\"Warning\"}"))
        #expect(metrics.contains("edgewatch_kubernetes_watch_up 1"))
        try UplinkTests.settleAndCompare(scratch, hub, agent: agent)
        let onHub = try hub.eventKeys(node: "test-node").filter { key in mine.contains { key.hasPrefix($0 + "#") } }
        let stored = try StoreReader(path: scratch.store).events(matching: EventFilter(source: .kubernetes))
        #expect(onHub.count == stored.count, "hub has \(onHub.count) of \(stored.count) occurrences")
    }

    @Test("enabled: true without credentials, or a broken kubeconfig, stops the agent with 78 and says why")
    func credentialsRequired() throws {
        let scratch = try AgentScratch()
        let base = try String(contentsOfFile: scratch.config, encoding: .utf8)
        try (base + "\nevents:\n  kubernetes:\n    enabled: true\n").write(toFile: scratch.config, atomically: true, encoding: .utf8)
        let missing = try Harness.run(Harness.edgewatch, ["agent", "--config", scratch.config, "--listen", ""])
        #expect(
            missing.status == 78 && missing.stderr.contains("events.kubernetes.enabled is true but no credentials were found"),
            "\(missing.stderr)"
        )
        try "current-context: nope\n".write(toFile: scratch.path + "/kubeconfig", atomically: true, encoding: .utf8)
        try (base + "\nevents:\n  kubernetes:\n    kubeconfig: \(scratch.path)/kubeconfig\n").write(
            toFile: scratch.config,
            atomically: true,
            encoding: .utf8
        )
        let broken = try Harness.run(Harness.edgewatch, ["agent", "--config", scratch.config, "--listen", ""])
        #expect(broken.status == 78 && broken.stderr.contains("\(scratch.path)/kubeconfig:1:1: contexts: expected a list"), "\(broken.stderr)")
    }

    /// Per Event uid in the store: the sum of its occurrences' count increases (= its count when nothing was missed).
    static func sums(_ store: String) throws -> [String: Int64] {
        var sums: [String: Int64] = [:]
        for event in try StoreReader(path: store).events(matching: EventFilter(source: .kubernetes)) { sums[event.uid, default: 0] += event.delta }
        return sums
    }

    /// Polls `condition` every 200 ms, `seconds` worth of polls (``Harness/poll(times:every:_:)``).
    func eventually(_ seconds: Double, _ condition: () -> Bool) async -> Bool {
        (try? await Harness.poll(times: Int(seconds * 5), every: .milliseconds(200), condition)) ?? condition()
    }
}
