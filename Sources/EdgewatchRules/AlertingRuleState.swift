import EdgewatchCore
import EdgewatchPromQL

/// The alert state machine of one alerting rule, as Prometheus runs it: a new result is
/// pending, fires once active for `for`, keeps firing `keep_firing_for` after its last result,
/// and stays visible as resolved for 15 minutes.
public struct AlertingRuleState: Sendable {
    public static let resolvedRetention: Int64 = 15 * 60_000

    public let rule: Rule
    /// Alerts by label set.
    public var active: [Labels: Alert] = [:]
    /// Start times (ms) of alerts that were active before a restart, by label set; used once
    /// when such an alert appears again, as Prometheus restores from `ALERTS_FOR_STATE`.
    public var restoredActiveAt: [Labels: Int64] = [:]

    public init(rule: Rule) {
        self.rule = rule
    }

    /// Advances the state machine with the rule's query result at `time`; returns the
    /// `ALERTS` and `ALERTS_FOR_STATE` samples to store.
    public mutating func update(
        with samples: [Sample],
        at time: Int64,
        externalLabels: [String: String] = [:],
        externalURL: String = ""
    ) throws(PromQLError) -> [Sample] {
        var current: [Labels: Alert] = [:]
        for sample in samples {
            var templateLabels: [String: String] = [:]
            for label in sample.labels where label.name != "__name__" { templateLabels[label.name] = label.value }
            let data = Template.Data(labels: templateLabels, externalLabels: externalLabels, externalURL: externalURL, value: sample.value)
            var labels = sample.labels.droppingName()
            for (name, template) in rule.labels {
                labels = labels.setting(name, Self.expand(template, data))
            }
            labels = labels.setting("alertname", rule.name)
            var annotations: [String: String] = [:]
            for (name, template) in rule.annotations { annotations[name] = Self.expand(template, data) }
            guard current[labels] == nil else {
                throw PromQLError(evaluation: "vector contains metrics with the same labelset after applying alert labels")
            }
            current[labels] = Alert(labels: labels, annotations: annotations, state: .pending, value: sample.value, activeAt: time)
        }
        if !restoredActiveAt.isEmpty {
            for (labels, activeAt) in restoredActiveAt where active[labels] == nil && activeAt <= time {
                current[labels]?.activeAt = activeAt
            }
            restoredActiveAt = [:]
        }
        for (labels, alert) in current {
            if var existing = active[labels], existing.state != .inactive {
                existing.value = alert.value
                existing.annotations = alert.annotations
                active[labels] = existing
                continue
            }
            active[labels] = alert
        }
        var output: [Sample] = []
        for labels in active.keys.sorted() {
            guard var alert = active[labels] else { continue }
            if current[labels] == nil {
                var keepFiring = false
                if alert.state == .firing, rule.keepFiringForMilliseconds > 0 {
                    let since = alert.keepFiringSince ?? time
                    alert.keepFiringSince = since
                    keepFiring = time - since < rule.keepFiringForMilliseconds
                }
                if alert.state == .pending || (alert.resolvedAt.map { time - $0 > Self.resolvedRetention } ?? false) {
                    active[labels] = nil
                    continue
                }
                if alert.state != .inactive, !keepFiring {
                    alert.state = .inactive
                    alert.resolvedAt = time
                }
                active[labels] = alert
                if !keepFiring { continue }
            } else {
                alert.keepFiringSince = nil
            }
            if alert.state == .pending, time - alert.activeAt >= rule.forMilliseconds {
                alert.state = .firing
                alert.firedAt = time
            }
            active[labels] = alert
            output.append(
                Sample(labels: alert.labels.setting("__name__", "ALERTS").setting("alertstate", alert.state.rawValue), value: 1, timestamp: time)
            )
            output.append(Sample(labels: alert.labels.setting("__name__", "ALERTS_FOR_STATE"), value: Double(alert.activeAt / 1000), timestamp: time))
        }
        return output
    }

    /// Alerts that are pending or firing (what `/api/v1/alerts` lists).
    public var currentAlerts: [Alert] {
        active.values.filter { $0.state != .inactive }.sorted { $0.labels < $1.labels }
    }

    static func expand(_ template: Template, _ data: Template.Data) -> String {
        do {
            return try template.render(data)
        } catch {
            return "<error expanding template: \(error)>"
        }
    }
}
