import EdgewatchCore
import EdgewatchEncoding
import EdgewatchKubernetes
import EdgewatchStore
import EdgewatchUplink
import Synchronization

/// The agent's own `edgewatch_*` metrics: store size and traffic, cycle timing, gaps, clock steps.
public final class AgentMetrics: Sendable {
    private let cycles = Mutex<(count: Int64, lastSeconds: Double)>((0, 0))
    private let ruleCycles = Mutex<(count: Int64, totalSeconds: Double, lastSeconds: Double)>((0, 0, 0))
    private let notifications = Mutex<(sent: Int64, errors: Int64)>((0, 0))

    /// The uplink's counters, when it is on.
    let uplink: UplinkMetrics?
    /// The Kubernetes event source's counters, when it is on.
    let kubernetes: KubernetesMetrics?

    public init(uplink: UplinkMetrics? = nil, kubernetes: KubernetesMetrics? = nil) {
        self.uplink = uplink
        self.kubernetes = kubernetes
    }

    func recordCycle(duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        cycles.withLock { $0 = ($0.count + 1, seconds) }
    }

    func recordRuleEvaluation(duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        ruleCycles.withLock { $0 = ($0.count + 1, $0.totalSeconds + seconds, seconds) }
    }

    func recordNotification(sent: Int, failed: Bool) {
        notifications.withLock { $0 = ($0.sent + (failed ? 0 : Int64(sent)), $0.errors + (failed ? 1 : 0)) }
    }

    static let eventsHelp = "Event occurrences recorded (Kubernetes and node-local), by source, type and reason."

    func families(store: StoreStatistics, events: EventTotals = EventTotals(), rules: RuleStatus? = nil) -> [MetricFamily] {
        let cycle = cycles.withLock { $0 }
        var set = MetricSet()
        set.add("edgewatch_cycles_total", "Collection cycles run since the agent started.", .counter, Double(cycle.count))
        set.add("edgewatch_cycle_duration_seconds", "Duration of the last collection cycle.", .gauge, cycle.lastSeconds)
        set.add("edgewatch_store_bytes", "Store size on disk (database plus write-ahead log).", .gauge, Double(store.fileBytes))
        set.add("edgewatch_store_used_bytes", "Store pages in use.", .gauge, Double(store.usedBytes))
        for tier in Tier.allCases {
            set.add(
                "edgewatch_store_block_bytes",
                "Encoded sample bytes per resolution tier.",
                .gauge,
                Double(store.blockBytes[tier] ?? 0),
                ["tier": tier.name]
            )
        }
        set.add("edgewatch_store_samples_written_total", "Raw samples committed to the store.", .counter, Double(store.samplesWritten))
        set.add("edgewatch_store_samples_evicted_total", "Raw samples evicted to keep the byte budget.", .counter, Double(store.samplesEvicted))
        set.add("edgewatch_store_segments_evicted_total", "Store segments evicted to keep the byte budget.", .counter, Double(store.segmentsEvicted))
        set.add(
            "edgewatch_store_series",
            "Series the store holds in memory (collected within the hour; ones gone longer are forgotten).",
            .gauge,
            Double(store.seriesInMemory)
        )
        set.add("edgewatch_store_flushes_total", "Store flushes committed.", .counter, Double(store.flushes))
        set.add("edgewatch_store_flush_failures_total", "Store flush attempts that failed.", .counter, Double(store.flushFailures))
        set.add("edgewatch_store_gaps_total", "Gaps recorded (evictions and collection pauses).", .counter, Double(store.gapsRecorded))
        set.add("edgewatch_clock_jumps_total", "Wall-clock steps detected against the monotonic clock.", .counter, Double(store.clockJumps))
        set.add(
            "edgewatch_store_events_evictions_total",
            "Times the oldest events were evicted to keep their share of the budget.",
            .counter,
            Double(store.eventsEvicted)
        )
        set.add(
            "edgewatch_store_values_shed_total",
            "Buffered samples and rollup values dropped, oldest first, while store flushes kept failing (bounded memory; a not_stored gap).",
            .counter,
            Double(store.valuesShed)
        )
        set.add(
            "edgewatch_store_events_dropped_total",
            "Events not buffered while store flushes kept failing (bounded memory).",
            .counter,
            Double(store.eventsDropped)
        )
        for (labels, value) in events.samples {
            set.add("edgewatch_events_total", Self.eventsHelp, .counter, value, labels)
        }
        uplink?.add(to: &set)
        kubernetes?.add(to: &set)
        if let rules {
            let evaluation = ruleCycles.withLock { $0 }
            set.add("edgewatch_rule_evaluation_seconds_total", "Time spent evaluating rules.", .counter, evaluation.totalSeconds)
            set.add("edgewatch_rule_evaluation_last_seconds", "Rule evaluation time in the last cycle.", .gauge, evaluation.lastSeconds)
            for group in rules.groups {
                let failures = group.rules.filter { $0.health == "err" }.count
                set.add("edgewatch_rule_group_rules", "Rules in the group.", .gauge, Double(group.rules.count), ["rule_group": group.name])
                set.add(
                    "edgewatch_rule_group_failing_rules",
                    "Rules of the group whose last evaluation failed.",
                    .gauge,
                    Double(failures),
                    ["rule_group": group.name]
                )
            }
            var states: [String: Int] = ["pending": 0, "firing": 0]
            for alert in rules.activeAlerts { states[alert.state.rawValue, default: 0] += 1 }
            for (state, count) in states.sorted(by: { $0.key < $1.key }) {
                set.add("edgewatch_alerts", "Alerts by state.", .gauge, Double(count), ["state": state])
            }
            let sent = notifications.withLock { $0 }
            set.add("edgewatch_notifications_sent_total", "Alerts sent to Alertmanager.", .counter, Double(sent.sent))
            set.add("edgewatch_notifications_errors_total", "Failed deliveries to Alertmanager (retried).", .counter, Double(sent.errors))
        }
        return set.sortedFamilies().families
    }
}
