import EdgewatchCore
import EdgewatchRules
import Synchronization

/// The rule groups' latest state, shared by the rule service (writer), the HTTP API and the
/// Alertmanager notifier (readers).
public final class RuleStatus: Sendable {
    public struct RuleInfo: Sendable {
        public var rule: Rule
        public var health: String
        public var lastError: String
        public var lastEvaluation: Int64?
        public var alerts: [Alert]
    }

    public struct GroupInfo: Sendable {
        public var name: String
        public var file: String
        public var intervalMilliseconds: Int64
        public var lastEvaluation: Int64?
        public var evaluationSeconds: Double
        public var rules: [RuleInfo]
    }

    private let box = Mutex<[GroupInfo]>([])
    private let notifications = Mutex<[Alert]>([])

    public init() {}

    public var groups: [GroupInfo] { box.withLock { $0 } }

    func update(_ groups: [GroupInfo]) { box.withLock { $0 = groups } }

    /// Every pending or firing alert.
    public var activeAlerts: [Alert] {
        groups.flatMap { $0.rules.flatMap(\.alerts) }.filter { $0.state != .inactive }
    }

    /// Alerts (firing, and resolved ones within retention) for Alertmanager, from the last evaluation.
    public var alertsToNotify: [Alert] { notifications.withLock { $0 } }

    func updateNotifications(_ alerts: [Alert]) { notifications.withLock { $0 = alerts } }
}
