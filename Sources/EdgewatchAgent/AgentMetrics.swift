import EdgewatchCore
import EdgewatchStore
import NIOConcurrencyHelpers

/// The agent's own `edgewatch_*` metrics: store size and traffic, cycle timing, gaps, clock steps.
public final class AgentMetrics: Sendable {
    private let cycles = NIOLockedValueBox<(count: Int64, lastSeconds: Double)>((0, 0))

    public init() {}

    func recordCycle(duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        cycles.withLockedValue { $0 = ($0.count + 1, seconds) }
    }

    func families(store: StoreStatistics) -> [MetricFamily] {
        let cycle = cycles.withLockedValue { $0 }
        var set = MetricSet()
        set.add("edgewatch_cycles_total", "Collection cycles run since the agent started.", .counter, Double(cycle.count))
        set.add("edgewatch_cycle_duration_seconds", "Duration of the last collection cycle.", .gauge, cycle.lastSeconds)
        set.add("edgewatch_store_bytes", "Store size on disk (database plus write-ahead log).", .gauge, Double(store.fileBytes))
        set.add("edgewatch_store_used_bytes", "Store pages in use.", .gauge, Double(store.usedBytes))
        for tier in Tier.allCases {
            set.add("edgewatch_store_block_bytes", "Encoded sample bytes per resolution tier.", .gauge, Double(store.blockBytes[tier] ?? 0), ["tier": tier.name])
        }
        set.add("edgewatch_store_samples_written_total", "Raw samples committed to the store.", .counter, Double(store.samplesWritten))
        set.add("edgewatch_store_samples_evicted_total", "Raw samples evicted to keep the byte budget.", .counter, Double(store.samplesEvicted))
        set.add("edgewatch_store_segments_evicted_total", "Store segments evicted to keep the byte budget.", .counter, Double(store.segmentsEvicted))
        set.add("edgewatch_store_flushes_total", "Store flushes committed.", .counter, Double(store.flushes))
        set.add("edgewatch_store_flush_failures_total", "Store flush attempts that failed.", .counter, Double(store.flushFailures))
        set.add("edgewatch_store_gaps_total", "Gaps recorded (evictions and collection pauses).", .counter, Double(store.gapsRecorded))
        set.add("edgewatch_clock_jumps_total", "Wall-clock steps detected against the monotonic clock.", .counter, Double(store.clockJumps))
        return set.sortedFamilies().families
    }
}
