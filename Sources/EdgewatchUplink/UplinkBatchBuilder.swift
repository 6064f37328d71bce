import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import EdgewatchWire

/// Reads one window from the store (read-only connection) and encodes it as a batch, falling
/// back to a coarser tier when the asked tier was evicted.
struct UplinkBatchBuilder {
    let reader: StoreReader
    let node: String

    /// Alerts and events travel in their own stream, ahead of metrics.
    static func isAlertSeries(_ key: SeriesKey) -> Bool { key.name == "ALERTS" || key.name == "ALERTS_FOR_STATE" }

    /// The window `[from, to)` at `tier` (or coarser), or nil when the store holds nothing for it.
    /// `alerts` selects the alerts-and-events part; otherwise metrics and gaps.
    func batch(stream: String, sequence: Int64, from: Int64, to: Int64, tier: Tier, alerts: Bool = false) throws -> UplinkBatch? {
        let series = try reader.series { Self.isAlertSeries($0) == alerts }
        let ids = Set(series.map(\.0))
        var chosen = tier
        var points: [Int64: [(Int64, [Double])]] = [:]
        for candidate in Tier.allCases where candidate >= tier && !ids.isEmpty {
            points = try reader.points(ids: ids, tier: candidate, from: from, to: to - 1)
            chosen = candidate
            if points.values.contains(where: { !$0.isEmpty }) { break }
        }
        let gaps =
            alerts
            ? []
            : try reader.gaps(from: from, to: to - 1).map {
                UplinkBatch.Gap(from: $0.start, to: $0.end, reason: "\($0.tier.name) \($0.kind.rawValue)")
            }
        let events = !alerts ? [] : try reader.events(recordedFrom: from, to: to - 1)
        guard points.values.contains(where: { !$0.isEmpty }) || !gaps.isEmpty || !events.isEmpty else { return nil }
        let selected = series.map { id, key in (key: key, points: (points[id] ?? []).filter { $0.0 >= from && $0.0 < to }) }
        return UplinkBatch(
            node: node,
            stream: stream,
            sequence: sequence,
            tier: chosen,
            downgradedFrom: chosen == tier ? nil : tier,
            points: selected,
            columns: chosen.columns,
            gaps: gaps,
            events: events
        )
    }
}
