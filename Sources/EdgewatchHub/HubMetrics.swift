import EdgewatchCore
import Synchronization

/// The hub's own counters, exported at /metrics.
final class HubMetrics: Sendable {
    struct Counters {
        var accepted: Int64 = 0
        var duplicates: Int64 = 0
        var samples: Int64 = 0
        var rejected: [String: Int64] = [:]
        var overloaded: Int64 = 0
        var queries: Int64 = 0
    }

    let counters = Mutex(Counters())
    /// Ingest requests being handled now.
    let inFlight = Mutex(0)
    /// Compaction's and retention's work since start.
    let compaction = Mutex(RetentionReport())
    let retention = Mutex(RetentionReport())
    /// Upkeep passes completed since start.
    let maintenancePasses = Mutex(0)
    /// Per remote_write target.
    let remoteWriteCounters = Mutex<[String: RemoteWriteCounters]>([:])

    func maintained(compacted: RetentionReport, retained: RetentionReport) {
        maintenancePasses.withLock { $0 += 1 }
        compaction.withLock {
            $0.steps += compacted.steps
            $0.deletedBlocks += compacted.deletedBlocks
            $0.summarisedBlocks += compacted.summarisedBlocks
        }
        retention.withLock {
            $0.steps += retained.steps
            $0.deletedBlocks += retained.deletedBlocks
            $0.summarisedBlocks += retained.summarisedBlocks
            $0.expiredQueuedBlocks += retained.expiredQueuedBlocks
            $0.prunedSeries += retained.prunedSeries
        }
    }

    func reject(_ reason: String) { counters.withLock { $0.rejected[reason, default: 0] += 1 } }

    func families(
        nodes: [NodeStatus],
        undecodableBlocks: Int64,
        cachedSeries: (ingest: Int, query: Int) = (0, 0),
        cachedBatchBlocks: (listings: Int, series: Int, nodes: Int) = (0, 0, 0),
        remoteWriteQueues: [String: RemoteWriteQueueCounts] = [:]
    ) -> [MetricFamily] {
        let value = counters.withLock { $0 }
        var set = MetricSet()
        set.add("edgewatch_hub_batches_total", "Ingest batches by outcome.", .counter, Double(value.accepted), ["result": "accepted"])
        set.add("edgewatch_hub_batches_total", "Ingest batches by outcome.", .counter, Double(value.duplicates), ["result": "duplicate"])
        for (reason, count) in value.rejected.sorted(by: { $0.key < $1.key }) {
            set.add("edgewatch_hub_rejected_requests_total", "Ingest requests refused, by reason.", .counter, Double(count), ["reason": reason])
        }
        set.add("edgewatch_hub_overloaded_total", "Ingest requests answered 503 because too many were in flight.", .counter, Double(value.overloaded))
        set.add("edgewatch_hub_samples_total", "Samples stored from accepted batches.", .counter, Double(value.samples))
        set.add("edgewatch_hub_queries_total", "Query API requests.", .counter, Double(value.queries))
        set.add("edgewatch_hub_nodes", "Nodes that have joined.", .gauge, Double(nodes.count))
        // Per node, so that a Prometheus scraping the hub can alert on silent nodes
        // (time() - edgewatch_hub_node_last_sample_seconds > 600).
        for node in nodes {
            let labels: Labels = ["node": node.name, "cluster": node.report.cluster]
            set.add(
                "edgewatch_hub_node_last_seen_seconds",
                "When the node's last batch arrived (Unix seconds).",
                .gauge,
                Double(node.lastSeen) / 1000,
                labels
            )
            set.add(
                "edgewatch_hub_node_last_sample_seconds",
                "The node's newest sample time (Unix seconds; 0 before the first).",
                .gauge,
                Double(node.lastSampleTimestamp) / 1000,
                labels
            )
            set.add(
                "edgewatch_hub_node_backlog_windows",
                "Windows the node reported it still owes the hub.",
                .gauge,
                Double(node.report.backlogWindows),
                labels
            )
        }
        set.add(
            "edgewatch_hub_undecodable_blocks_total",
            "Stored blocks a query could not decode and skipped (damaged database).",
            .counter,
            Double(undecodableBlocks)
        )
        for (cache, count) in [("ingest", cachedSeries.ingest), ("query", cachedSeries.query)] {
            set.add(
                "edgewatch_hub_cached_series",
                "Series held in memory, those used in the last hour or two: ids for ingest, label sets for queries.",
                .gauge,
                Double(count),
                ["cache": cache]
            )
        }
        let batches = cachedBatchBlocks
        for (kind, count) in [("listings", batches.listings), ("series", batches.series), ("nodes", batches.nodes)] {
            set.add(
                "edgewatch_hub_cached_batch_blocks",
                "Blocks the hub's queries read lately, held in memory: a PostgreSQL replica's batch blocks' listings, the series decoded of blocks, and nodes' series gathered from batch blocks.",
                .gauge,
                Double(count),
                ["kind": kind]
            )
        }
        set.add(
            "edgewatch_hub_maintenance_passes_total",
            "Upkeep passes (compaction then retention) completed.",
            .counter,
            Double(maintenancePasses.withLock { $0 })
        )
        let compacted = compaction.withLock { $0 }
        set.add("edgewatch_hub_compaction_steps_total", "Compaction steps (a node's settled period each).", .counter, Double(compacted.steps))
        set.add(
            "edgewatch_hub_compaction_rewritten_blocks_total",
            "Batch blocks compaction rewrote as one block per metric.",
            .counter,
            Double(compacted.deletedBlocks)
        )
        let retained = retention.withLock { $0 }
        set.add("edgewatch_hub_retention_steps_total", "Retention steps (a node's period each).", .counter, Double(retained.steps))
        set.add("edgewatch_hub_retention_deleted_blocks_total", "Blocks retention deleted.", .counter, Double(retained.deletedBlocks))
        set.add(
            "edgewatch_hub_retention_expired_queued_blocks_total",
            "remote_write queue places whose blocks retention deleted before the target took them (kept as its refusals).",
            .counter,
            Double(retained.expiredQueuedBlocks)
        )
        set.add(
            "edgewatch_hub_retention_summarised_blocks_total",
            "Summary blocks retention made from the tier below.",
            .counter,
            Double(retained.summarisedBlocks)
        )
        set.add(
            "edgewatch_hub_retention_pruned_series_total",
            "Series deleted once retention had deleted the last blocks (1 h summaries) that held them.",
            .counter,
            Double(retained.prunedSeries)
        )
        addRemoteWrite(to: &set, queues: remoteWriteQueues)
        return set.sortedFamilies().families
    }
}
