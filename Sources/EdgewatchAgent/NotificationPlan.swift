import EdgewatchCore
import EdgewatchRules

/// Which alerts are owed to Alertmanager: a pure state machine over the alert list and the
/// clock, so resend and resolve logic is tested without I/O.
struct NotificationPlan {
    let resendInterval: Int64
    /// Per alert: when it was last delivered firing, and whether its resolution was delivered.
    private var lastSent: [Labels: Int64] = [:]
    private var resolvedSent: Set<Labels> = []

    init(resendInterval: Int64) {
        self.resendInterval = resendInterval
    }

    /// Alerts to send now: firing ones never sent or not sent within the resend interval,
    /// and resolved ones not yet reported resolved.
    func due(_ alerts: [Alert], now: Int64) -> [Alert] {
        alerts.filter { alert in
            switch alert.state {
            case .firing: return lastSent[alert.labels].map { now - $0 >= resendInterval } ?? true
            case .inactive: return !resolvedSent.contains(alert.labels)
            case .pending: return false
            }
        }
    }

    /// Forgets alerts no longer in `current` (resolved ones leave it after their retention), so
    /// the plan holds no more than the alerts the rules still report.
    mutating func forgetAbsent(_ current: [Alert]) {
        let present = Set(current.map(\.labels))
        resolvedSent.formIntersection(present)
        lastSent = lastSent.filter { present.contains($0.key) }
    }

    /// How many alerts the plan remembers.
    var remembered: Int { lastSent.count + resolvedSent.count }

    mutating func markSent(_ alerts: [Alert], now: Int64) {
        for alert in alerts {
            if alert.state == .inactive {
                resolvedSent.insert(alert.labels)
                lastSent[alert.labels] = nil
            } else {
                lastSent[alert.labels] = now
                resolvedSent.remove(alert.labels)
            }
        }
    }
}
