import EdgewatchCore
import EdgewatchExposition
import EdgewatchHTTPClient
import EdgewatchPromQL
import EdgewatchRules
import HostFS
import Logging
import NIOCore
import ServiceLifecycle

/// Sends alerts to Alertmanager's v2 API: firing alerts when they start and every resend
/// interval, resolved alerts once. Unreachable Alertmanagers are retried with exponential
/// backoff and jitter; what is still owed survives a restart because alert state is restored
/// from the store.
public struct AlertmanagerNotifier: Service, CustomStringConvertible {
    /// The service lifecycle logs services by description: a name, not a reflected dump of the fields.
    public var description: String { "AlertmanagerNotifier" }

    let urls: [HTTPURL]
    let status: RuleStatus
    let resendInterval: Int64
    let metrics: AgentMetrics
    /// The agent's client event loop, shared with the uplink.
    let group: any EventLoopGroup
    let logger: Logger

    public init(urls: [HTTPURL], status: RuleStatus, resendInterval: Int64, metrics: AgentMetrics, group: any EventLoopGroup, logger: Logger) {
        self.urls = urls
        self.status = status
        self.resendInterval = resendInterval
        self.metrics = metrics
        self.group = group
        self.logger = logger
    }

    public func run() async throws {
        var plan = NotificationPlan(resendInterval: resendInterval)
        var backoff = Backoff(base: 1_000, cap: max(resendInterval, 2_000))
        var random = SystemRandomNumberGenerator()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let now = LiveHostKernel().wallTime().milliseconds
            let current = status.alertsToNotify
            plan.forgetAbsent(current)
            let due = plan.due(current, now: now)
            var wait: Int64 = 1_000
            if !due.isEmpty {
                var delivered = false
                for url in urls {
                    do {
                        let body = try Self.payload(due, now: now, resendInterval: resendInterval)
                        let response = try await HTTPPost.send(
                            host: url.host,
                            port: url.port,
                            path: url.pathPrefix + "/api/v2/alerts",
                            body: body,
                            timeout: .seconds(10),
                            group: group
                        )
                        guard (200..<300).contains(response.status) else {
                            throw HTTPPost.Failure(description: "HTTP \(response.status): \(response.body.prefix(200))")
                        }
                        delivered = true
                    } catch {
                        logger.warning("Alertmanager unreachable; will retry", metadata: ["url": "\(url.host):\(url.port)", "error": "\(error)"])
                    }
                }
                metrics.recordNotification(sent: due.count, failed: !delivered)
                if delivered {
                    plan.markSent(due, now: now)
                    backoff.reset()
                } else {
                    wait = backoff.next(using: &random)
                }
            }
            let pause = wait
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(pause)) }
            } catch {
                break
            }
        }
    }

    /// One of Alertmanager v2's `postableAlerts`.
    struct PostableAlert: Encodable {
        var labels: JSONObject
        var annotations: JSONObject
        var startsAt: String
        var endsAt: String
        var generatorURL = ""
    }

    /// The Alertmanager v2 `postableAlerts` JSON for `alerts`.
    static func payload(_ alerts: [Alert], now: Int64, resendInterval: Int64) throws -> String {
        try JSONDocument.encode(
            alerts.map { alert in
                let endsAt = alert.state == .inactive ? (alert.resolvedAt ?? now) : now + 4 * resendInterval
                return PostableAlert(
                    labels: JSONObject(alert.labels),
                    annotations: JSONObject(sorting: alert.annotations),
                    startsAt: RFC3339.format(milliseconds: alert.firedAt ?? alert.activeAt),
                    endsAt: RFC3339.format(milliseconds: endsAt)
                )
            }
        )
    }
}
