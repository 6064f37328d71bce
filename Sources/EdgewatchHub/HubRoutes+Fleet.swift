import EdgewatchCore
import EdgewatchPromQL
import Hummingbird

/// The fleet view: `GET /api/v1/nodes` (every node with its cluster and health, or grouped by
/// cluster) and `GET /api/v1/alerts` (the alerts nodes forward as `ALERTS` series).
extension HubRoutes {
    /// How far back a node's `ALERTS` and clock series count as current.
    static let alertLookback: Int64 = 300_000
    static let clockLookback: Int64 = 600_000

    /// `?cluster=` keeps one cluster; `?group=cluster` answers `[{cluster, fresh, late, silent, nodes}]`.
    func nodes(_ parameters: Parameters) throws -> Response {
        let now = HubClock.now()
        let cluster = parameters.first("cluster")
        if let group = parameters.first("group"), group != "cluster" {
            throw QueryFailure("invalid parameter \"group\": expected cluster, got \"\(group)\"")
        }
        let firing = try firingAlertCounts(now: now)
        let clocks = try clockStates(now: now)
        let items = try storage.nodes().filter { cluster == nil || $0.report.cluster == cluster }.map {
            NodeJSON($0, now: now, clockSynchronized: clocks[$0.name], firingAlerts: firing[$0.name] ?? 0)
        }
        guard parameters.first("group") != nil else { return Self.success(items.sorted { ($0.cluster, $0.node) < ($1.cluster, $1.node) }) }
        return Self.success(
            Dictionary(grouping: items, by: \.cluster).map { ClusterJSON(cluster: $0.key, nodes: $0.value) }.sorted { $0.cluster < $1.cluster }
        )
    }

    /// `?node=&cluster=&alertname=&state=firing|pending`: the newest state of each alert series.
    func alerts(_ parameters: Parameters) throws -> Response {
        let now = HubClock.now()
        if let state = parameters.first("state"), state != "firing", state != "pending" {
            throw QueryFailure("invalid parameter \"state\": expected firing or pending, got \"\(state)\"")
        }
        var matchers = [try Self.matcher("__name__", "ALERTS")]
        for (parameter, label) in [("node", "node"), ("alertname", "alertname"), ("state", "alertstate")] {
            if let value = parameters.first(parameter) { matchers.append(try Self.matcher(label, value)) }
        }
        let clusters = Dictionary(try storage.nodes().map { ($0.name, $0.report.cluster) }) { first, _ in first }
        let wantedCluster = parameters.first("cluster")
        let since = now - Self.alertLookback
        let activeSince = try activeSinceByAlert(since: since, now: now)
        var result: [AlertJSON] = []
        for series in try storage.select(matchers, start: since, end: now) {
            guard let last = series.points.last else { continue }
            let node = series.labels["node"] ?? ""
            let cluster = clusters[node] ?? ""
            guard wantedCluster == nil || cluster == wantedCluster else { continue }
            let key = series.labels.removing(["__name__", "alertstate"])
            result.append(AlertJSON(series.labels, cluster: cluster, value: last.value, activeAt: activeSince[key], lastSeen: last.timestamp))
        }
        return Self.success(AlertsJSON(alerts: result.sorted { ($0.node, $0.labels["alertname"] ?? "") < ($1.node, $1.labels["alertname"] ?? "") }))
    }

    /// Firing alerts per node (series of `ALERTS{alertstate="firing"}` with a point in the lookback).
    func firingAlertCounts(now: Int64) throws -> [String: Int] {
        let firing = [try Self.matcher("__name__", "ALERTS"), try Self.matcher("alertstate", "firing")]
        var counts: [String: Int] = [:]
        for series in try storage.select(firing, start: now - Self.alertLookback, end: now) { counts[series.labels["node"] ?? "", default: 0] += 1 }
        return counts
    }

    /// Each node's newest clock state: `edgewatch_clock_synchronized`, else `node_timex_sync_status`.
    func clockStates(now: Int64) throws -> [String: Bool] {
        var states: [String: Bool] = [:]
        for name in ["node_timex_sync_status", "edgewatch_clock_synchronized"] {
            for series in try storage.select([try Self.matcher("__name__", name)], start: now - Self.clockLookback, end: now) {
                if let last = series.points.last { states[series.labels["node"] ?? ""] = last.value == 1 }
            }
        }
        return states
    }

    /// When each alert became active: its `ALERTS_FOR_STATE` value (Unix seconds), by labels.
    private func activeSinceByAlert(since: Int64, now: Int64) throws -> [Labels: Double] {
        var result: [Labels: Double] = [:]
        for series in try storage.select([try Self.matcher("__name__", "ALERTS_FOR_STATE")], start: since, end: now) {
            if let last = series.points.last { result[series.labels.removing(["__name__"])] = last.value }
        }
        return result
    }

    private static func matcher(_ name: String, _ value: String) throws -> LabelMatcher {
        try LabelMatcher(name: name, operation: .equal, value: value)
    }
}
