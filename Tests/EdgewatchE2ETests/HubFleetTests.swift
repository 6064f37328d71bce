import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The hub's fleet view with real agents: clusters, health, the agents' reports, forwarded
/// alerts, and the per-node figures on the hub's own `/metrics`.
@Suite("Hub fleet view", .serialized)
struct HubFleetTests {
    func get(_ hub: HubProcess, _ path: String) throws -> Any? {
        let (status, body) = try HTTPGet.fetch(
            port: hub.port,
            path: path,
            accept: "application/json",
            headers: [("Authorization", "Bearer " + hub.token)]
        )
        #expect(status == 200, "\(path): \(body.prefix(300))")
        return (try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])?["data"]
    }

    @Test("two clusters of agents: nodes grouped by cluster and fresh, a firing alert forwarded, per-node gauges on /metrics")
    func fleet() throws {
        let hub = try HubProcess()
        var agents: [(AgentScratch, AgentProcess)] = []
        for (node, cluster) in [("shop-1-a", "shop-1"), ("shop-1-b", "shop-1"), ("depot-a", "depot")] {
            // Raw samples go up one slot (a second here: the uplink never slices finer) at a time.
            let scratch = try AgentScratch(node: node, interval: "500ms", flush: "1s", collectors: ["loadavg", "meminfo"])
            try """
            groups:
              - name: always
                interval: 1s
                rules:
                  - alert: AlwaysFiring
                    expr: vector(1)
                    labels:
                      severity: info
            """.write(toFile: scratch.path + "/rules.yml", atomically: true, encoding: .utf8)
            try UplinkTests.agentConfig(scratch, token: hub.token, port: hub.port, extra: "rules:\n  files: [rules.yml]\n")
            let text = try String(contentsOfFile: scratch.config, encoding: .utf8)
            try text.replacingOccurrences(of: "node:\n  name: \(node)\n", with: "node:\n  name: \(node)\n  cluster: \(cluster)\n")
                .write(toFile: scratch.config, atomically: true, encoding: .utf8)
            agents.append((scratch, try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())))
        }
        defer { for (_, agent) in agents { agent.signal(SIGKILL) } }
        var nodes: [[String: Any]] = []
        var alerts: [[String: Any]] = []
        let deadline = Date().addingTimeInterval(40)
        while Date() < deadline {
            nodes = try get(hub, "/api/v1/nodes") as? [[String: Any]] ?? []
            alerts = (try get(hub, "/api/v1/alerts?state=firing") as? [String: Any])?["alerts"] as? [[String: Any]] ?? []
            if nodes.count == 3, nodes.allSatisfy({ $0["health"] as? String == "fresh" && $0["firingAlerts"] as? Int == 1 }), alerts.count == 3 {
                break
            }
            usleep(500_000)
        }
        #expect(nodes.map { "\($0["cluster"] ?? "")/\($0["node"] ?? "")" } == ["depot/depot-a", "shop-1/shop-1-a", "shop-1/shop-1-b"])
        #expect(nodes.allSatisfy { $0["health"] as? String == "fresh" && $0["firingAlerts"] as? Int == 1 }, "\(nodes)")
        #expect(
            nodes.allSatisfy { $0["slotSeconds"] as? Double == 1 && $0["backlogWindows"] as? Int != nil && $0["deadLetters"] as? Int == 0 },
            "\(nodes)"
        )
        #expect(alerts.map { $0["node"] as? String ?? "" }.sorted() == ["depot-a", "shop-1-a", "shop-1-b"], "\(alerts)")
        #expect(alerts.allSatisfy { ($0["labels"] as? [String: String])?["alertname"] == "AlwaysFiring" && $0["state"] as? String == "firing" })
        #expect(alerts.first { $0["node"] as? String == "depot-a" }?["cluster"] as? String == "depot")
        let grouped = try get(hub, "/api/v1/nodes?group=cluster") as? [[String: Any]] ?? []
        #expect(grouped.map { $0["cluster"] as? String ?? "" } == ["depot", "shop-1"])
        #expect(grouped.map { $0["fresh"] as? Int ?? -1 } == [1, 2])
        #expect((try get(hub, "/api/v1/nodes?cluster=depot") as? [[String: Any]] ?? []).count == 1)
        #expect(((try get(hub, "/api/v1/alerts?cluster=shop-1") as? [String: Any])?["alerts"] as? [Any] ?? []).count == 2)
        let (status, metrics) = try HTTPGet.fetch(port: hub.port, path: "/metrics")
        #expect(status == 200)
        #expect(metrics.contains("edgewatch_hub_node_last_seen_seconds{cluster=\"shop-1\",node=\"shop-1-b\"} 1"))
        #expect(metrics.contains("edgewatch_hub_node_last_sample_seconds{cluster=\"depot\",node=\"depot-a\"} 1"))
    }
}
