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
        let timestamps = Set(points.values.flatMap { $0.map(\.0) }).filter { $0 >= from && $0 < to }.sorted()
        var row: [Int64: Int] = [:]
        for (index, timestamp) in timestamps.enumerated() { row[timestamp] = index }
        let columns = chosen == .raw ? 1 : 5
        var infos: [SeriesKey] = []
        var blockSeries: [BlockSeries] = []
        for (id, key) in series {
            let list = (points[id] ?? []).filter { $0.0 >= from && $0.0 < to }
            guard !list.isEmpty else { continue }
            var present = [Bool](repeating: false, count: timestamps.count)
            var values = [[Double]](repeating: [], count: columns)
            for (timestamp, columnValues) in list {
                guard let index = row[timestamp], !present[index] else { continue }
                present[index] = true
                for column in 0..<columns { values[column].append(column < columnValues.count ? columnValues[column] : .nan) }
            }
            blockSeries.append(BlockSeries(id: Int64(infos.count), present: present.allSatisfy { $0 } ? nil : present, values: values))
            infos.append(key)
        }
        return UplinkBatch(
            node: node,
            stream: stream,
            sequence: sequence,
            tier: chosen,
            downgradedFrom: chosen == tier ? nil : tier,
            series: infos,
            block: Block(timestamps: timestamps, columns: columns, series: blockSeries),
            gaps: gaps,
            events: events
        )
    }
}
