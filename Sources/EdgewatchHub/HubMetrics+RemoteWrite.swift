import EdgewatchCore

extension HubMetrics {
    /// One remote_write target's figures since start.
    struct RemoteWriteCounters {
        var sentSamples: Int64 = 0
        /// Samples left out as at or before what the target already holds for their series.
        var skippedSamples: Int64 = 0
        var retries: Int64 = 0
        /// Requests that got no answer (connection refused, timed out, reset).
        var failures: Int64 = 0
        var refusedBlocks: Int64 = 0
        /// Answers by HTTP status.
        var responses: [Int: Int64] = [:]
        /// When a request was last accepted (milliseconds; 0 before the first).
        var lastSuccess: Int64 = 0
    }

    func remoteWrite(_ target: String, _ update: (inout RemoteWriteCounters) -> Void) {
        remoteWriteCounters.withLock { update(&$0[target, default: RemoteWriteCounters()]) }
    }

    /// The remote_write families: this process's counters and the queues every replica shares.
    func addRemoteWrite(to set: inout MetricSet, queues: [String: RemoteWriteQueueCounts]) {
        let counters = remoteWriteCounters.withLock { $0 }
        for target in Set(counters.keys).union(queues.keys).sorted() {
            let value = counters[target] ?? RemoteWriteCounters()
            let labels: Labels = ["target": target]
            set.add("edgewatch_hub_remote_write_samples_total", "Samples the target accepted.", .counter, Double(value.sentSamples), labels)
            set.add(
                "edgewatch_hub_remote_write_skipped_samples_total",
                "Samples not sent because the target already holds a newer or equal one for the series (it would refuse them).",
                .counter,
                Double(value.skippedSamples),
                labels
            )
            set.add(
                "edgewatch_hub_remote_write_retries_total",
                "Requests sent again after a 5xx, a 429 or no answer.",
                .counter,
                Double(value.retries),
                labels
            )
            set.add("edgewatch_hub_remote_write_failures_total", "Requests that got no answer.", .counter, Double(value.failures), labels)
            for (status, count) in value.responses.sorted(by: { $0.key < $1.key }) {
                set.add(
                    "edgewatch_hub_remote_write_responses_total",
                    "Answers from the target, by HTTP status.",
                    .counter,
                    Double(count),
                    labels.adding("code", String(status))
                )
            }
            set.add(
                "edgewatch_hub_remote_write_last_success_seconds",
                "When the target last accepted a request (Unix seconds; 0 before the first).",
                .gauge,
                Double(value.lastSuccess) / 1000,
                labels
            )
            let queue = queues[target] ?? RemoteWriteQueueCounts()
            set.add(
                "edgewatch_hub_remote_write_queued_blocks",
                "Stored blocks waiting to be sent to the target.",
                .gauge,
                Double(queue.queued),
                labels
            )
            set.add(
                "edgewatch_hub_remote_write_refused_blocks",
                "Stored blocks the target refused with a 4xx (kept in its refusals).",
                .gauge,
                Double(queue.refused),
                labels
            )
        }
    }
}
