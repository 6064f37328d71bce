import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL
import Testing

@testable import EdgewatchExport

@Suite("Export planning and alert history")
struct ExportLogicTests {
    @Test("auto reads raw where held, then whole 1 m buckets before it, then whole 1 h buckets")
    func resolutionPlan() {
        let oldest: [Tier: Int64] = [.raw: 10_000_000, .minute: 7_200_000, .hour: 0]
        let plan = ResolutionPlan(resolution: .auto, from: 0, to: 20_000_000) { oldest[$0] }
        let expected: [ResolutionPlan.Span] = [
            ResolutionPlan.Span(tier: .hour, from: 0, to: 3_600_000),
            ResolutionPlan.Span(tier: .minute, from: 7_200_000, to: 9_940_000),
            ResolutionPlan.Span(tier: .raw, from: 10_000_000, to: 20_000_000),
        ]
        #expect(plan.spans == expected)
        let fixed = ResolutionPlan(resolution: .minute, from: 5, to: 6) { _ in nil }
        #expect(fixed.spans == [ResolutionPlan.Span(tier: .minute, from: 5, to: 6)])
        #expect(ResolutionPlan(resolution: .auto, from: 15_000_000, to: 20_000_000) { oldest[$0] }.tiers == [.raw])
    }

    @Test("pending, firing and resolved come from the ALERTS series and their staleness markers")
    func alertHistory() {
        let pending = SeriesKey(name: "ALERTS", labels: ["alertname": "Hot", "alertstate": "pending"], type: .gauge)
        let firing = SeriesKey(name: "ALERTS", labels: ["alertname": "Hot", "alertstate": "firing"], type: .gauge)
        let stale = StaleMarker.value
        let changes = AlertHistory.changes(
            alerts: [
                (pending, [(1_000, 1), (2_000, 1), (3_000, stale)]),
                (firing, [(3_000, 1), (4_000, 1), (5_000, stale)]),
            ],
            forState: [["alertname": "Hot"]: [(1_000, 1), (4_000, 1)]]
        )
        #expect(changes.map(\.state) == ["pending", "firing", "inactive"])
        #expect(changes.map(\.time) == [1_000, 3_000, 5_000])
        #expect(changes.allSatisfy { $0.activeAt == 1_000 })
        #expect(changes.last?.resolvedAt == 5_000)
        #expect(changes.first?.labels == ["alertname": "Hot"])
    }

    @Test("OpenMetrics timestamps are seconds with at most millisecond digits")
    func seconds() {
        #expect(SampleFormat.seconds(1_700_000_000_000) == "1700000000")
        #expect(SampleFormat.seconds(1_700_000_000_120) == "1700000000.12")
        #expect(SampleFormat.seconds(1_700_000_000_005) == "1700000000.005")
    }
}
