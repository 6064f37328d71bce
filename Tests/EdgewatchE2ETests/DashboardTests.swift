import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The Grafana dashboards in dashboards/: well formed, current with scripts/make_dashboards.py,
/// and every panel's query answered with data by a real Prometheus scraping real agents (the fleet
/// dashboard's by the hub's query API), except panels that say they need hardware.
@Suite("Grafana dashboards", .serialized)
struct DashboardTests {
    @Test("current with scripts/make_dashboards.py; unique uids, current schemaVersion, a data source variable every panel uses")
    func wellFormed() throws {
        let check = try Harness.run("/usr/bin/python3", [Harness.packageRoot.path + "/scripts/make_dashboards.py", "--check"])
        #expect(check.status == 0, "\(check.stderr)")
        let dashboards = try DashboardFile.all()
        #expect(
            Set(dashboards.map(\.name))
                == ["edgewatch-node.json", "edgewatch-pods.json", "edgewatch-gpu.json", "edgewatch-alerts-events.json", "edgewatch-fleet.json"]
        )
        #expect(Set(dashboards.map(\.uid)).count == dashboards.count)
        for dashboard in dashboards {
            #expect(dashboard.schemaVersion == 41, "\(dashboard.name)")
            let first = dashboard.variables.first
            #expect(first?["type"]?.string == "datasource" && first?["query"]?.string == "prometheus", "\(dashboard.name)")
            let panels = dashboard.panels
            #expect(Set(panels.map(\.id)).count == panels.count && !panels.isEmpty)
            for panel in panels {
                #expect(!panel.expressions.isEmpty && panel.datasources.allSatisfy { $0 == "${datasource}" }, "\(dashboard.name): \(panel.title)")
                #expect(panel.width <= 24, "\(dashboard.name): \(panel.title) is wider than the grid")
            }
        }
    }

    @Test(
        "every panel's query returns data from Prometheus scraping real agents, or from the hub for the fleet",
        .enabled(if: getuid() == 0 && Harness.which(["prometheus"]) != nil && Harness.which(["stress-ng"]) != nil || Harness.peersRequired),
        .timeLimit(.minutes(4))
    )
    func panelsHaveData() async throws {
        let stress = try #require(Harness.which(["stress-ng"]), "stress-ng is not installed (make test installs it)")
        let lab = try await DashboardLab()
        defer { lab.stop() }
        try lab.start(stressNG: stress)
        let prometheus = try #require(lab.prometheus)
        let ready = try await Self.waitUntilReady(lab)
        #expect(ready.isEmpty, "not ready: \(ready)\n\(lab.agents[0].log.suffix(2000))")
        var report: [String] = []
        for dashboard in try DashboardFile.all() {
            let fleet = dashboard.uid == "edgewatch-fleet"
            let source = fleet ? QuerySource(port: lab.hub.port, token: lab.hub.token) : QuerySource(port: prometheus.port, token: nil)
            for (selector, label) in dashboard.labelValueQueries {
                let values = try source.labelValues(selector, label)
                #expect(!values.isEmpty || dashboard.uid == "edgewatch-gpu", "\(dashboard.name): label_values(\(selector), \(label)) is empty")
            }
            for panel in dashboard.panels {
                for expression in panel.expressions {
                    let count = try source.rangeSeries(DashboardFile.substitute(expression))
                    report.append("\(dashboard.uid) | \(panel.title) | \(count)")
                    if count == 0 && panel.needs == nil {
                        Issue.record("\(dashboard.name): panel \"\(panel.title)\" has no data: \(expression)")
                    }
                }
            }
        }
        print("dashboard | panel | series\n" + report.joined(separator: "\n"))
    }

    /// Waits (bounded) until the lab shows what the panels look for; returns what is still missing.
    static func waitUntilReady(_ lab: DashboardLab) async throws -> [String] {
        let start = Date()
        var missing: [String] = []
        // 240 polls, 500 ms apart: at least 120 s.
        try await Harness.poll(times: 240, every: .milliseconds(500)) {
            let metrics = (try? HTTPGet.fetch(port: lab.agents[0].port, path: "/metrics").1) ?? ""
            let hub = QuerySource(port: lab.hub.port, token: lab.hub.token)
            missing = [
                metrics.contains("edgewatch_alerts{state=\"firing\"} 0") || !metrics.contains("edgewatch_alerts{state=\"firing\"}")
                    ? "alert firing" : "",
                metrics.contains("pod=\"stress-demo\"") ? "" : "pod names",
                metrics.contains("source=\"kubernetes\"") ? "" : "kubernetes events",
                (try? hub.rangeSeries("count by (node) (node_uname_info)")) == 4 ? "" : "4 nodes on the hub",
                (try? hub.rangeSeries("ALERTS{alertstate=\"firing\"}")) ?? 0 > 0 ? "" : "alerts on the hub",
                Date().timeIntervalSince(start) > 20 ? "" : "20 s of data",
            ].filter { !$0.isEmpty }
            return missing.isEmpty
        }
        return missing
    }
}

/// A Prometheus query API: Prometheus itself or the hub (with its token).
struct QuerySource {
    let port: UInt16
    let token: String?

    func get(_ path: String) throws -> JSONValue {
        let headers = token.map { [("Authorization", "Bearer " + $0)] } ?? []
        let (status, body) = try HTTPGet.fetch(port: port, path: path, accept: "application/json", headers: headers)
        guard status == 200 else { throw HarnessError("\(path) answered \(status): \(body.prefix(300))") }
        return try JSONValue(parsing: body)
    }

    /// How many series `expression` gives over the last 40 seconds at 2 s steps.
    func rangeSeries(_ expression: String) throws -> Int {
        let now = Int(Date().timeIntervalSince1970)
        let query = expression.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? expression
        let answer = try get("/api/v1/query_range?query=\(query)&start=\(now - 40)&end=\(now)&step=2")
        return answer["data"]?["result"]?.array?.count ?? 0
    }

    /// The values of `label` across the series `selector` matches (Grafana's label_values).
    func labelValues(_ selector: String, _ label: String) throws -> Set<String> {
        let now = Int(Date().timeIntervalSince1970)
        let match = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? selector
        let answer = try get("/api/v1/series?match[]=\(match)&start=\(now - 300)&end=\(now)")
        return Set((answer["data"]?.array ?? []).compactMap { $0[label]?.string })
    }
}
