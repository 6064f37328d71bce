import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL

/// Alert state changes recovered from the stored `ALERTS` and `ALERTS_FOR_STATE` series, the
/// way Prometheus records them: a state's series starts when the alert enters it and ends with a
/// staleness marker when it leaves; `ALERTS_FOR_STATE` carries the active-since time in seconds.
struct AlertHistory {
    struct Change: Equatable {
        var time: Int64
        var state: String
        /// The alert's labels (with `alertname`, without `alertstate`).
        var labels: Labels
        var activeAt: Int64?
        var resolvedAt: Int64?
    }

    /// `alerts`: each `ALERTS` series with its points; `forState`: `ALERTS_FOR_STATE` points by alert labels.
    static func changes(alerts: [(key: SeriesKey, points: [(Int64, Double)])], forState: [Labels: [(Int64, Double)]]) -> [Change] {
        var edges: [Labels: [(time: Int64, state: String, begins: Bool)]] = [:]
        for (key, points) in alerts {
            let state = key.labels["alertstate"] ?? "firing"
            let identity = Labels(key.labels.filter { $0.name != "alertstate" })
            var running = false
            for (time, value) in points {
                if StaleMarker.isStale(value) {
                    if running { edges[identity, default: []].append((time, state, false)) }
                    running = false
                } else if !running {
                    edges[identity, default: []].append((time, state, true))
                    running = true
                }
            }
        }
        var result: [Change] = []
        for (identity, list) in edges {
            var current = "inactive"
            // Beginnings before endings at the same instant: pending→firing is one change.
            for edge in list.sorted(by: { ($0.time, $0.begins ? 0 : 1) < ($1.time, $1.begins ? 0 : 1) }) {
                let active = activeSince(forState[identity] ?? [], at: edge.time)
                if edge.begins, current != edge.state {
                    current = edge.state
                    result.append(Change(time: edge.time, state: edge.state, labels: identity, activeAt: active ?? edge.time))
                } else if !edge.begins, current == edge.state {
                    current = "inactive"
                    result.append(Change(time: edge.time, state: "inactive", labels: identity, activeAt: active, resolvedAt: edge.time))
                }
            }
        }
        return result.sorted { ($0.time, $0.labels) < ($1.time, $1.labels) }
    }

    /// The last `ALERTS_FOR_STATE` value at or before `time`, in ms.
    private static func activeSince(_ points: [(Int64, Double)], at time: Int64) -> Int64? {
        guard let point = points.last(where: { $0.0 <= time && !$0.1.isNaN }) else { return nil }
        return (point.1 * 1000).roundedInt64(.towardZero)
    }
}
