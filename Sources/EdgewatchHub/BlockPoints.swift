import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL

/// The points of the wanted series in `[start, end]`, gathered from stored blocks (each a batch's
/// block with the hub's ids of its series) by either backend. A raw sample wins over a rollup at
/// the same instant; a rollup counts by its last value. Samples before a node's retention mark for
/// their tier (`floors`) are left out: retention has summarised them, and kept only the blocks that
/// reach past the mark.
struct BlockPoints {
    private let wanted: [Int64: Labels]
    private let floors: [String: [Int: Int64]]
    private let start: Int64
    private let end: Int64
    /// (timestamp, tier, value) per series id.
    private var collected: [Int64: [(Int64, Int, Double)]] = [:]

    init(wanted: [Int64: Labels], start: Int64, end: Int64, floors: [String: [Int: Int64]] = [:]) {
        self.wanted = wanted
        self.floors = floors
        self.start = start
        self.end = end
    }

    /// Whether a block whose series are `ids` holds any wanted one (decode only those).
    func wants(_ ids: [Int64]) -> Bool { ids.contains { wanted[$0] != nil } }

    /// Adds a block's points; false when its bytes cannot be decoded.
    mutating func add(node: String, tier: Int, ids: [Int64], data: [UInt8]) -> Bool {
        let start = max(self.start, floors[node]?[tier] ?? .min)
        // Only the wanted series are decoded; a block holds every series of its node's batch.
        let wanted = self.wanted
        guard let block = try? BlockCodec.decode(data, keeping: { $0 >= 0 && Int($0) < ids.count && wanted[ids[Int($0)]] != nil }) else {
            return false
        }
        for entry in block.series where Int(entry.id) < ids.count && wanted[ids[Int(entry.id)]] != nil {
            let id = ids[Int(entry.id)]
            // Raw: the value; a rollup: its last value (the last column; an imported rollup carries only that).
            let column = tier == Tier.raw.rawValue ? 0 : entry.values.count - 1
            guard column >= 0, column < entry.values.count else { continue }
            let values = entry.values[column]
            // Gathered here, then added to the series' points at once (one dictionary access per entry).
            var points: [(Int64, Int, Double)] = []
            points.reserveCapacity(values.count)
            var valueIndex = 0
            for (row, timestamp) in block.timestamps.enumerated() {
                if let present = entry.present, row < present.count, !present[row] { continue }
                defer { valueIndex += 1 }
                guard timestamp >= start, timestamp <= end, valueIndex < values.count else { continue }
                points.append((timestamp, tier, values[valueIndex]))
            }
            collected[id, default: []].append(contentsOf: points)
        }
        return true
    }

    /// The series with points, by labels; one point per instant, the lowest tier's.
    func series() -> [Series] {
        var result: [Series] = []
        for (id, points) in collected {
            var series: [Point] = []
            series.reserveCapacity(points.count)
            // Blocks arrive mostly in time order: sort only when they did not.
            let inOrder = zip(points, points.dropFirst()).allSatisfy { ($0.0, $0.1) < ($1.0, $1.1) }
            for point in inOrder ? points : points.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) where series.last?.timestamp != point.0 {
                series.append(Point(point.0, point.2))
            }
            if let labels = wanted[id], !series.isEmpty { result.append(Series(labels: labels, points: series)) }
        }
        return result.sorted { $0.labels < $1.labels }
    }
}
