import EdgewatchCore
import EdgewatchStore
import EdgewatchUplink

/// Pods and containers, alerts, recent events and the uplink.
extension TopLoader {
    func readPods(_ view: TableView, into snapshot: inout TopSnapshot) {
        var pods: [String: TopSnapshot.Pod] = [:]
        func update(_ name: String, _ change: (inout TopSnapshot.Pod, SeriesPoints) -> Void) {
            for series in view.current(name) {
                guard let id = series.labels["id"], let container = series.labels["container"], !container.isEmpty else { continue }
                var pod =
                    pods[id]
                    ?? TopSnapshot.Pod(namespace: series.labels["namespace"] ?? "", pod: series.labels["pod"] ?? "", container: container, id: id)
                change(&pod, series)
                pods[id] = pod
            }
        }
        update("container_cpu_usage_seconds_total") { pod, series in
            guard series.labels["cpu"] == "total" || series.labels["cpu"] == nil else { return }
            pod.cpuCores = series.rate
            let steps = series.historyIncreases(rollup: view.rollup)
            pod.cpuHistory = steps.map(\.1)
        }
        var periods: [String: Double] = [:]
        for series in view.current("container_cpu_cfs_periods_total") { periods[series.labels["id"] ?? ""] = series.lastIncrease }
        update("container_cpu_cfs_throttled_periods_total") { pod, series in
            if let total = periods[pod.id], total > 0, let throttled = series.lastIncrease { pod.throttled = throttled / total }
        }
        update("container_memory_working_set_bytes") { pod, series in
            pod.workingSetBytes = series.latest
            pod.memoryHistory = series.historyValues(rollup: view.rollup).map(\.1)
        }
        update("container_spec_memory_limit_bytes") { pod, series in pod.limitBytes = series.latest }
        update("container_oom_events_total") { pod, series in pod.oomKills = series.latest ?? 0 }
        for series in view.current("edgewatch_container_gpu_memory_used_bytes") {
            let key = pods.first { $0.value.pod == series.labels["pod"] && $0.value.container == series.labels["container"] }?.key
            guard let key, var pod = pods[key] else { continue }
            pod.gpuMemoryBytes = (pod.gpuMemoryBytes ?? 0) + (series.latest ?? 0)
            pods[key] = pod
        }
        snapshot.pods = pods.values.sorted { ($0.namespace, $0.pod, $0.container) < ($1.namespace, $1.pod, $1.container) }
    }

    func readEventsAndAlerts(_ view: TableView, last: Int64, into snapshot: inout TopSnapshot) throws(StoreError) {
        var activeAt: [Labels: Int64] = [:]
        for series in view.current("ALERTS_FOR_STATE") {
            if let value = series.latest, let milliseconds = (value * 1000).roundedInt64(.down) { activeAt[series.labels] = milliseconds }
        }
        snapshot.alerts = view.current("ALERTS").filter { $0.latest == 1 }.map { series in
            let plain = Labels(series.labels.storage.filter { $0.name != "alertstate" })
            var labels: [String: String] = [:]
            for label in plain.storage where label.name != "alertname" { labels[label.name] = label.value }
            return TopSnapshot.Alert(
                name: series.labels["alertname"] ?? "",
                state: series.labels["alertstate"] ?? "",
                labels: labels,
                activeAt: activeAt[plain]
            )
        }.sorted { ($0.state, $0.activeAt ?? 0, $0.name) > ($1.state, $1.activeAt ?? 0, $1.name) }
        let events = try reader.events(matching: EventFilter(from: last - 24 * 3_600_000, to: .max))
        var restarts: [String: Int] = [:]
        for event in events where event.reason == NodeEventReason.containerRestarted.rawValue {
            restarts[event.object.namespace + "/" + event.object.name + "/" + Self.containerName(event.message), default: 0] += 1
        }
        for index in snapshot.pods.indices {
            let pod = snapshot.pods[index]
            snapshot.pods[index].restarts = restarts[pod.namespace + "/" + pod.pod + "/" + pod.container] ?? 0
        }
        snapshot.events = events.suffix(200).reversed().map { event in
            TopSnapshot.Event(
                time: event.time,
                type: event.type,
                reason: event.reason,
                object: event.object.kind.lowercased() + "/" + (event.object.namespace.isEmpty ? "" : event.object.namespace + "/")
                    + event.object.name,
                message: event.message,
                count: event.count
            )
        }
    }

    /// The container a node-local container event names (`Container <name> …`).
    static func containerName(_ message: String) -> String {
        let words = message.split(separator: " ")
        return words.count > 1 && words[0] == "Container" ? String(words[1]) : ""
    }

    func readUplink(last: Int64) -> TopSnapshot.Uplink {
        var uplink = TopSnapshot.Uplink()
        guard let report = try? UplinkReport.read(path: uplinkPath) else { return uplink }
        uplink.configured = true
        uplink.deadLetters = report.deadLetters.count
        // The live stream is the one with the newest acknowledged window.
        var newest: Int64?
        for cursor in report.cursor {
            let width = cursor.widthMilliseconds ?? 60_000
            let end = cursor.liveNextWindow * width
            uplink.backlogWindows += cursor.backlogWindows
            if end > (newest ?? .min) {
                newest = end
                uplink.current = last - end <= 2 * width + 60_000
            }
        }
        uplink.lastAcknowledged = newest
        return uplink
    }
}
