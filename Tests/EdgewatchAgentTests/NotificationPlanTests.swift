import EdgewatchCore
import EdgewatchRules
import Testing

@testable import EdgewatchAgent

@Suite struct NotificationPlanTests {
    func alert(_ state: AlertState, _ name: String = "A") -> Alert {
        Alert(labels: ["alertname": name], annotations: [:], state: state, value: 1, activeAt: 0)
    }

    @Test func firingIsSentThenResentAfterTheInterval() {
        var plan = NotificationPlan(resendInterval: 60_000)
        #expect(plan.due([alert(.pending)], now: 0).isEmpty)
        let firing = [alert(.firing)]
        #expect(plan.due(firing, now: 0).count == 1)
        plan.markSent(firing, now: 0)
        #expect(plan.due(firing, now: 59_999).isEmpty)
        #expect(plan.due(firing, now: 60_000).count == 1)
    }

    @Test func resolvedIsSentOnceAndAFailedSendStaysDue() {
        var plan = NotificationPlan(resendInterval: 60_000)
        plan.markSent([alert(.firing)], now: 0)
        let resolved = [alert(.inactive)]
        #expect(plan.due(resolved, now: 1_000).count == 1)
        // Not marked (delivery failed): still due next time.
        #expect(plan.due(resolved, now: 2_000).count == 1)
        plan.markSent(resolved, now: 2_000)
        #expect(plan.due(resolved, now: 3_000).isEmpty)
        // Firing again: a new episode is sent at once.
        #expect(plan.due([alert(.firing)], now: 4_000).count == 1)
    }

    @Test func memoryStaysBoundedByTheAlertsStillReported() {
        var plan = NotificationPlan(resendInterval: 60_000)
        for episode in 0..<10_000 {
            let resolved = [alert(.inactive, "A\(episode)")]
            plan.forgetAbsent(resolved)
            plan.markSent(plan.due(resolved, now: Int64(episode)), now: Int64(episode))
        }
        #expect(plan.remembered <= 1)
        // A resolved alert still reported is not sent twice.
        let last = [alert(.inactive, "A9999")]
        plan.forgetAbsent(last)
        #expect(plan.due(last, now: 20_000).isEmpty)
    }

    @Test func backoffGrowsWithFullJitterUpToTheCap() {
        var backoff = Backoff(base: 1_000, cap: 8_000)
        var random = SystemRandomNumberGenerator()
        var maximum: Int64 = 0
        for _ in 0..<200 { maximum = max(maximum, backoff.next(using: &random)) }
        #expect(maximum <= 8_000 && maximum > 4_000)
        backoff.reset()
        #expect(backoff.attempt == 0)
        // A loop, not a closure capturing the generator inout: ThreadSanitizer's runtime faults on
        // the access to a captured zero-sized value (SystemRandomNumberGenerator) inside a closure.
        var first: [Int64] = []
        for _ in 0..<50 {
            var fresh = Backoff(base: 1_000, cap: 8_000)
            first.append(fresh.next(using: &random))
        }
        #expect(first.allSatisfy { $0 >= 100 && $0 <= 1_000 })
        #expect(Set(first).count > 10, "jittered, not lock-step")
    }

    @Test func alertmanagerPayload() throws {
        var firing = alert(.firing)
        firing.firedAt = 1_700_000_000_000
        firing.annotations = ["summary": "x \"y\""]
        var resolved = alert(.inactive, "B")
        resolved.resolvedAt = 1_700_000_060_000
        let body = try AlertmanagerNotifier.payload([firing, resolved], now: 1_700_000_000_000, resendInterval: 60_000)
        #expect(
            body
                == #"[{"annotations":{"summary":"x \"y\""},"endsAt":"2023-11-14T22:17:20Z","generatorURL":"","labels":{"alertname":"A"},"startsAt":"2023-11-14T22:13:20Z"},{"annotations":{},"endsAt":"2023-11-14T22:14:20Z","generatorURL":"","labels":{"alertname":"B"},"startsAt":"1970-01-01T00:00:00Z"}]"#
        )
    }
}
