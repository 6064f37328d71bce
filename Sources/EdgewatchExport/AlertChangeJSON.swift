import EdgewatchCore
import EdgewatchExposition

/// One line of `alerts.jsonl`: an alert entering `pending`, `firing` or `inactive` (resolved).
/// `annotations` are the latest the agent recorded for the alert (empty for alerts from before).
struct AlertChangeJSON: Encodable {
    var time: String
    var timestampMilliseconds: Int64
    var state: String
    var alertname: String
    var labels: JSONObject
    var annotations: JSONObject
    var activeAt: String?
    var resolvedAt: String?

    enum CodingKeys: String, CodingKey {
        case time, state, alertname, labels, annotations
        case timestampMilliseconds = "timestamp_ms"
        case activeAt = "active_at"
        case resolvedAt = "resolved_at"
    }

    init(_ change: AlertHistory.Change, annotations: [String: String]) {
        time = RFC3339.format(milliseconds: change.time)
        timestampMilliseconds = change.time
        state = change.state
        alertname = change.labels["alertname"] ?? ""
        labels = JSONObject(change.labels)
        self.annotations = JSONObject(sorting: annotations)
        activeAt = change.activeAt.map { RFC3339.format(milliseconds: $0) }
        resolvedAt = change.resolvedAt.map { RFC3339.format(milliseconds: $0) }
    }
}
