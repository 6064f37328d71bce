import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL
import EdgewatchRules
import EdgewatchStore
import Logging

/// Evaluates the rule files on the device: each group at its interval, at the timestamp of a
/// collection cycle, over the recent window of samples. Outputs (recorded series, `ALERTS`,
/// `ALERTS_FOR_STATE`, staleness markers) are returned to be stored with the cycle. On start,
/// the window is refilled from the store and alert `for` state restored from
/// `ALERTS_FOR_STATE`, as Prometheus does.
public actor RuleService {
    /// How long after its last `ALERTS_FOR_STATE` sample an alert's state is restored.
    public static let outageTolerance: Int64 = 3_600_000

    private var states: [RuleGroupState]
    private var intervals: [Int64]
    private var nextEvaluation: [Int64?]
    private var window: RuleWindow
    private let engine = Engine()
    private let externalLabels: [String: String]
    private let status: RuleStatus
    private let logger: Logger
    private var restoreFrom: [Labels: Int64] = [:]
    private var pendingRestore = true

    public init(groups: [RuleGroup], defaultInterval: Int64, externalLabels: [String: String], status: RuleStatus, logger: Logger) {
        states = groups.map(RuleGroupState.init)
        intervals = groups.map { $0.intervalMilliseconds ?? defaultInterval }
        nextEvaluation = Array(repeating: nil, count: groups.count)
        window = RuleWindow(groups: groups, lookback: engine.lookback, longestInterval: intervals.max() ?? defaultInterval)
        self.externalLabels = externalLabels
        self.status = status
        self.logger = logger
    }

    /// Refills the window from the store (the agent's history) and reads the last `for` state of alerts.
    public func loadHistory(from reader: StoreReader, now: Int64) {
        do {
            let selected = try reader.series { key in
                key.name == "ALERTS_FOR_STATE" || window.isSelected(name: key.name, labels: key.labels)
            }
            let ids = Set(selected.map(\.0))
            guard !ids.isEmpty else { return }
            let points = try reader.points(ids: ids, tier: .raw, from: now - max(window.retention, Self.outageTolerance), to: now)
            for (id, key) in selected {
                let labels = key.labels.adding("__name__", key.name)
                let series = (points[id] ?? []).compactMap { point in point.1.first.map { Point(point.0, $0) } }
                if key.name == "ALERTS_FOR_STATE" {
                    if let last = series.last, now - last.timestamp <= Self.outageTolerance,
                        let activeAt = (last.value.rounded(.towardZero) * 1000).roundedInt64()
                    {
                        restoreFrom[key.labels] = activeAt
                    }
                    continue
                }
                window.addHistory(labels, series.filter { $0.timestamp >= now - window.retention })
            }
            logger.info("rule window loaded from the store", metadata: ["series": "\(selected.count)", "restorable_alerts": "\(restoreFrom.count)"])
        } catch {
            logger.warning("could not read rule history from the store; rules start with an empty window", metadata: ["error": "\(error)"])
        }
    }

    /// Evaluates the groups that are due at `time` after adding the cycle's samples; returns the samples to store.
    public func evaluate(at time: Int64, samples: [(SeriesKey, Double)]) -> [(SeriesKey, Double)] {
        window.add(samples, at: time)
        var due = false
        for index in states.indices {
            if let next = nextEvaluation[index], time < next { continue }
            due = true
            let clock = ContinuousClock()
            let started = clock.now
            if pendingRestore { restore(index, at: time) }
            states[index].evaluate(at: time, engine: engine, storage: &window, externalLabels: externalLabels)
            let elapsed = clock.now - started
            evaluationSeconds[index] = Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds)
            var next = (nextEvaluation[index] ?? time) + intervals[index]
            if next <= time { next = time + intervals[index] }  // fell behind: skip, do not burst
            nextEvaluation[index] = next
            for (ruleIndex, error) in states[index].lastErrors {
                logger.warning(
                    "rule evaluation failed",
                    metadata: [
                        "group": "\(states[index].group.name)", "rule": "\(states[index].group.rules[ruleIndex].name)", "error": "\(error)",
                    ]
                )
            }
        }
        pendingRestore = false
        guard due else { return [] }
        window.prune(now: time)
        publish()
        return window.takeWritten().map { labels, point in
            (SeriesKey(name: labels.metricName ?? "", labels: labels.droppingName(), type: .gauge), point.value)
        }
    }

    private var evaluationSeconds: [Int: Double] = [:]
    /// Annotations last handed to the store, by alert labels; changes wait in `annotationChanges`.
    private var storedAnnotations: [Labels: [String: String]] = [:]
    private var annotationChanges: [(labels: Labels, annotations: [String: String])] = []

    /// Annotations of pending or firing alerts that are new or changed since the last call (the
    /// store keeps them, so an export's alert history carries them).
    public func takeAnnotationChanges() -> [(labels: Labels, annotations: [String: String])] {
        defer { annotationChanges = [] }
        return annotationChanges
    }

    /// Seeds alerts that were pending or firing before a restart with their original start.
    private func restore(_ index: Int, at time: Int64) {
        guard !restoreFrom.isEmpty else { return }
        for (ruleIndex, var alerting) in states[index].alerting {
            let name = states[index].group.rules[ruleIndex].name
            let restorable = restoreFrom.filter { $0.key["alertname"] == name }
            guard !restorable.isEmpty else { continue }
            alerting.restoredActiveAt = restorable
            states[index].alerting[ruleIndex] = alerting
        }
    }

    private func publish() {
        var groups: [RuleStatus.GroupInfo] = []
        var notify: [Alert] = []
        var present = Set<Labels>()
        for (index, state) in states.enumerated() {
            var rules: [RuleStatus.RuleInfo] = []
            for (ruleIndex, rule) in state.group.rules.enumerated() {
                let error = state.lastErrors[ruleIndex]
                let alerts = state.alerting[ruleIndex]?.active.values.sorted { $0.labels < $1.labels } ?? []
                notify += alerts.filter { $0.state != .pending }
                for alert in alerts where alert.state != .inactive {
                    let labels = alert.labels.droppingName()
                    present.insert(labels)
                    guard storedAnnotations[labels] != alert.annotations else { continue }
                    storedAnnotations[labels] = alert.annotations
                    annotationChanges.append((labels, alert.annotations))
                }
                rules.append(
                    RuleStatus.RuleInfo(
                        rule: rule,
                        health: state.lastEvaluation == nil ? "unknown" : (error == nil ? "ok" : "err"),
                        lastError: error ?? "",
                        lastEvaluation: state.lastEvaluation,
                        alerts: alerts
                    )
                )
            }
            groups.append(
                RuleStatus.GroupInfo(
                    name: state.group.name,
                    file: state.group.file,
                    intervalMilliseconds: intervals[index],
                    lastEvaluation: state.lastEvaluation,
                    evaluationSeconds: evaluationSeconds[index] ?? 0,
                    rules: rules
                )
            )
        }
        // Alerts that ended (of pods that are gone, say) are forgotten; one that comes back is stored anew.
        if storedAnnotations.count > present.count { storedAnnotations = storedAnnotations.filter { present.contains($0.key) } }
        status.update(groups)
        status.updateNotifications(notify)
    }
}
