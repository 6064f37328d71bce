import EdgewatchCore
import EdgewatchExposition
import EdgewatchPromQL
import EdgewatchRules

/// The Prometheus HTTP API's `/api/v1/alerts` and `/api/v1/rules` documents for the agent's rules.
enum RulesAPI {
    struct Success<Data: Encodable>: Encodable {
        var status = "success"
        var data: Data
    }

    struct AlertList: Encodable {
        var alerts: [AlertJSON]
    }

    struct GroupList: Encodable {
        var groups: [GroupJSON]
    }

    struct AlertJSON: Encodable {
        var labels: JSONObject
        var annotations: JSONObject
        var state: String
        var activeAt: String
        var value: String
        var keepFiringSince: String?

        init(_ alert: Alert) {
            labels = JSONObject(alert.labels)
            annotations = JSONObject(sorting: alert.annotations)
            state = alert.state.rawValue
            activeAt = RFC3339.format(milliseconds: alert.activeAt)
            value = GoFloat.format(alert.value, style: .exponent)
            keepFiringSince = alert.keepFiringSince.map { RFC3339.format(milliseconds: $0) }
        }
    }

    struct GroupJSON: Encodable {
        var name: String
        var file: String
        var interval: Double
        var limit = 0
        var rules: [RuleJSON]
        var evaluationTime: Double
        var lastEvaluation: String
    }

    /// One rule; the alerting fields are left out for recording rules, as Prometheus does.
    struct RuleJSON: Encodable {
        var name: String
        var query: String
        var labels: JSONObject
        var state: String?
        var duration: Double?
        var keepFiringFor: Double?
        var annotations: JSONObject?
        var alerts: [AlertJSON]?
        var type: String
        var health: String
        var lastError: String
        var lastEvaluation: String

        init(_ info: RuleStatus.RuleInfo) {
            let rule = info.rule
            name = rule.name
            query = rule.expressionText
            labels = JSONObject(rule.labels.map { ($0.name, $0.template.source) })
            health = info.health
            lastError = info.lastError
            lastEvaluation = RulesAPI.timestamp(info.lastEvaluation)
            guard rule.kind == .alerting else {
                type = "recording"
                return
            }
            type = "alerting"
            let firing = info.alerts.contains { $0.state == .firing }
            let pending = info.alerts.contains { $0.state == .pending }
            state = firing ? "firing" : (pending ? "pending" : "inactive")
            duration = Double(rule.forMilliseconds) / 1000
            keepFiringFor = Double(rule.keepFiringForMilliseconds) / 1000
            annotations = JSONObject(rule.annotations.map { ($0.name, $0.template.source) })
            alerts = info.alerts.filter { $0.state != .inactive }.map(AlertJSON.init)
        }
    }

    static func alerts(_ status: RuleStatus) throws -> String {
        try JSONDocument.encode(Success(data: AlertList(alerts: status.activeAlerts.map(AlertJSON.init))))
    }

    static func rules(_ status: RuleStatus, type: String?) throws -> String {
        let groups = status.groups.map { group in
            GroupJSON(
                name: group.name,
                file: group.file,
                interval: Double(group.intervalMilliseconds) / 1000,
                rules: group.rules.filter { type == nil || (type == "alert") == ($0.rule.kind == .alerting) }.map(RuleJSON.init),
                evaluationTime: group.evaluationSeconds,
                lastEvaluation: timestamp(group.lastEvaluation)
            )
        }
        return try JSONDocument.encode(Success(data: GroupList(groups: groups)))
    }

    static func timestamp(_ milliseconds: Int64?) -> String {
        milliseconds.map { RFC3339.format(milliseconds: $0) } ?? "0001-01-01T00:00:00Z"
    }
}
