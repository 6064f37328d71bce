import EdgewatchCore
import EdgewatchPromQL

/// One rule group being evaluated: each rule in order, its results written before the next
/// rule runs, series that disappear marked stale, alert state kept per alerting rule.
public struct RuleGroupState: Sendable {
    public let group: RuleGroup
    /// Alert state per rule index (alerting rules only).
    public var alerting: [Int: AlertingRuleState] = [:]
    /// The last evaluation error per rule index.
    public var lastErrors: [Int: String] = [:]
    public var lastEvaluation: Int64?
    private var previousSeries: [Int: Set<Labels>] = [:]

    public init(group: RuleGroup) {
        self.group = group
        for (index, rule) in group.rules.enumerated() where rule.kind == .alerting {
            alerting[index] = AlertingRuleState(rule: rule)
        }
    }

    /// Evaluates every rule at `time`, writing results into `storage`.
    public mutating func evaluate<Storage: RuleStorage>(
        at time: Int64,
        engine: Engine,
        storage: inout Storage,
        externalLabels: [String: String] = [:],
        externalURL: String = ""
    ) {
        lastEvaluation = time
        for (index, rule) in group.rules.enumerated() {
            let output: [Sample]
            do {
                let samples = try query(rule, at: time, engine: engine, storage: storage)
                if group.limit > 0, samples.count > group.limit {
                    throw PromQLError(
                        evaluation: "exceeded limit of \(group.limit) with \(samples.count) \(rule.kind == .alerting ? "alerts" : "series")"
                    )
                }
                switch rule.kind {
                case .recording:
                    output = try record(rule, samples)
                case .alerting:
                    var state = alerting[index] ?? AlertingRuleState(rule: rule)
                    output = try state.update(with: samples, at: time, externalLabels: externalLabels, externalURL: externalURL)
                    alerting[index] = state
                }
                lastErrors[index] = nil
            } catch {
                lastErrors[index] = "\(error)"
                continue
            }
            var written = Set<Labels>()
            for sample in output {
                storage.append(sample.labels, Point(time, sample.value))
                written.insert(sample.labels)
            }
            for stale in previousSeries[index, default: []] where !written.contains(stale) {
                storage.append(stale, Point(time, StaleMarker.value))
            }
            previousSeries[index] = written
        }
    }

    func query<Storage: RuleStorage>(_ rule: Rule, at time: Int64, engine: Engine, storage: Storage) throws(PromQLError) -> [Sample] {
        switch try engine.evaluate(rule.expression, at: time, source: storage) {
        case .vector(let samples): return samples
        case .scalar(let value): return [Sample(labels: Labels(), value: value, timestamp: time)]
        default: throw PromQLError(evaluation: "rule result is not a vector or scalar")
        }
    }

    func record(_ rule: Rule, _ samples: [Sample]) throws(PromQLError) -> [Sample] {
        var seen = Set<Labels>()
        var output: [Sample] = []
        for sample in samples {
            var labels = sample.labels.setting("__name__", rule.name)
            for (name, template) in rule.labels {
                labels = labels.setting(name, template.source)
            }
            guard seen.insert(labels).inserted else {
                throw PromQLError(evaluation: "vector contains metrics with the same labelset after applying rule labels")
            }
            output.append(Sample(labels: labels, value: sample.value, timestamp: sample.timestamp))
        }
        return output
    }
}
