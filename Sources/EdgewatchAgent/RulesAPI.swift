import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL
import EdgewatchRules

/// The Prometheus HTTP API's `/api/v1/alerts` and `/api/v1/rules` documents for the agent's rules.
enum RulesAPI {
    static func alerts(_ status: RuleStatus) -> String {
        "{\"status\":\"success\",\"data\":{\"alerts\":[" + status.activeAlerts.map(alert).joined(separator: ",") + "]}}"
    }

    static func rules(_ status: RuleStatus, type: String?) -> String {
        var groups: [String] = []
        for group in status.groups {
            let rules = group.rules.filter { type == nil || (type == "alert") == ($0.rule.kind == .alerting) }.map(rule)
            var text = "{\"name\":\(json(group.name)),\"file\":\(json(group.file)),\"interval\":\(Double(group.intervalMilliseconds) / 1000),"
            text += "\"limit\":0,\"rules\":[" + rules.joined(separator: ",") + "],"
            text += "\"evaluationTime\":\(group.evaluationSeconds),\"lastEvaluation\":\(json(timestamp(group.lastEvaluation)))}"
            groups.append(text)
        }
        return "{\"status\":\"success\",\"data\":{\"groups\":[" + groups.joined(separator: ",") + "]}}"
    }

    static func rule(_ info: RuleStatus.RuleInfo) -> String {
        let rule = info.rule
        var text = "{\"name\":\(json(rule.name)),\"query\":\(json(rule.expressionText)),"
        text += "\"labels\":" + map(rule.labels.map { ($0.name, $0.template.source) }) + ","
        if rule.kind == .alerting {
            let firing = info.alerts.contains { $0.state == .firing }
            let pending = info.alerts.contains { $0.state == .pending }
            text += "\"state\":\(json(firing ? "firing" : (pending ? "pending" : "inactive"))),"
            text += "\"duration\":\(Double(rule.forMilliseconds) / 1000),\"keepFiringFor\":\(Double(rule.keepFiringForMilliseconds) / 1000),"
            text += "\"annotations\":" + map(rule.annotations.map { ($0.name, $0.template.source) }) + ","
            text += "\"alerts\":[" + info.alerts.filter { $0.state != .inactive }.map(alert).joined(separator: ",") + "],"
            text += "\"type\":\"alerting\","
        } else {
            text += "\"type\":\"recording\","
        }
        text += "\"health\":\(json(info.health)),\"lastError\":\(json(info.lastError)),\"lastEvaluation\":\(json(timestamp(info.lastEvaluation)))}"
        return text
    }

    static func alert(_ alert: Alert) -> String {
        var text = "{\"labels\":" + map(alert.labels.map { ($0.name, $0.value) }) + ","
        text += "\"annotations\":" + map(alert.annotations.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }) + ","
        text += "\"state\":\(json(alert.state.rawValue)),\"activeAt\":\(json(RFC3339.format(milliseconds: alert.activeAt))),"
        text += "\"value\":\(json(GoFloat.format(alert.value, style: .exponent)))"
        if let keepFiringSince = alert.keepFiringSince { text += ",\"keepFiringSince\":\(json(RFC3339.format(milliseconds: keepFiringSince)))" }
        return text + "}"
    }

    static func map(_ pairs: [(String, String)]) -> String {
        "{" + pairs.map { "\(json($0.0)):\(json($0.1))" }.joined(separator: ",") + "}"
    }

    static func json(_ text: String) -> String { SampleValueFormat.jsonString(text) }

    static func timestamp(_ milliseconds: Int64?) -> String {
        milliseconds.map { RFC3339.format(milliseconds: $0) } ?? "0001-01-01T00:00:00Z"
    }
}
