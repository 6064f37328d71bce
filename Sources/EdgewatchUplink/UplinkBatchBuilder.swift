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

    /// The window `[from, to)` at `tier` (or coarser) of clock era `era` (all when nil), or nil when
    /// the store holds nothing for it.
    /// `alerts` selects the alerts-and-events part; otherwise metrics and gaps. `pending` adds what
    /// the store holds in memory at `tier` (a flush between the two reads yields rows twice; the
    /// store's copy is kept).
    func batch(
        stream: String,
        sequence: Int64,
        from: Int64,
        to: Int64,
        tier: Tier,
        era: Int64? = nil,
        alerts: Bool = false,
        pending: PendingView? = nil
    ) throws -> UplinkBatch? {
        let series = try reader.series { Self.isAlertSeries($0) == alerts }
        let ids = Set(series.map(\.0))
        // A window with no samples at any tier (only gaps or events) is not a downgrade.
        var chosen = tier
        var points: [Int64: [(Int64, [Double])]] = [:]
        for candidate in Tier.allCases where candidate >= tier && !ids.isEmpty {
            var found = try reader.points(ids: ids, tier: candidate, from: from, to: to - 1, era: era)
            if candidate == tier, let pending { Self.merge(pending.points, into: &found, ids: ids) }
            if found.values.contains(where: { !$0.isEmpty }) {
                (points, chosen) = (found, candidate)
                break
            }
        }
        let gaps =
            alerts
            ? []
            : try Self.union(reader.gaps(from: from, to: to - 1), pending?.gaps ?? []).map {
                UplinkBatch.Gap(from: $0.start, to: $0.end, reason: "\($0.tier.name) \($0.kind.rawValue)")
            }
        let events = !alerts ? [] : try Self.union(reader.events(recordedFrom: from, to: to - 1), pending?.events ?? [])
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

    /// Adds the memory's rows of the selected series, in time order, each timestamp once.
    static func merge(_ memory: [Int64: [(Int64, [Double])]], into points: inout [Int64: [(Int64, [Double])]], ids: Set<Int64>) {
        for (id, rows) in memory where ids.contains(id) && !rows.isEmpty {
            let stored = points[id] ?? []
            let seen = Set(stored.map(\.0))
            points[id] = (stored + rows.filter { !seen.contains($0.0) }).sorted { $0.0 < $1.0 }
        }
    }

    /// The committed items, then the buffered ones not among them.
    static func union<T: Equatable>(_ committed: [T], _ buffered: [T]) -> [T] {
        committed + buffered.filter { !committed.contains($0) }
    }
}
