import EdgewatchCore
import EdgewatchPromQL

/// `GET /api/v1/alerts`: the shape of Prometheus' own answer (`{"alerts": [...]}`), each alert
/// with the node and cluster that forwarded it.
struct AlertsJSON: Encodable {
    var alerts: [AlertJSON]
}

/// One alert as a node's rules last reported it.
struct AlertJSON: Encodable {
    var labels: [String: String]
    var state: String
    var node: String
    var cluster: String
    /// When it became pending (RFC 3339), from `ALERTS_FOR_STATE`; nil when that was not sent.
    var activeAt: String?
    /// The newest `ALERTS` sample's time (RFC 3339).
    var lastSeen: String
    var value: String

    init(_ series: Labels, cluster: String, value: Double, activeAt: Double?, lastSeen: Int64) {
        labels = Dictionary(series.removing(["__name__", "alertstate"]).map { ($0.name, $0.value) }) { _, last in last }
        state = series["alertstate"] ?? ""
        node = series["node"] ?? ""
        self.cluster = cluster
        self.activeAt = activeAt.flatMap { ($0 * 1000).roundedInt64() }.map { RFC3339.format(milliseconds: $0) }
        self.lastSeen = RFC3339.format(milliseconds: lastSeen)
        self.value = GoFloat.format(value, style: .exponent)
    }
}
