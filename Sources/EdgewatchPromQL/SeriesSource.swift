import EdgewatchCore

/// Where the engine reads series from: the agent's store, the hub's database or a test's memory.
public protocol SeriesSource {
    /// The series matching every matcher, with their points in `[start, end]` (milliseconds).
    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Series]
}

/// Series held in memory: the rule test runner and tests load data here.
public struct MemorySeriesSource: SeriesSource, Sendable {
    public private(set) var series: [Labels: [Point]] = [:]

    public init() {}

    /// Appends a point; points must arrive in time order per series (older ones are dropped).
    public mutating func append(_ labels: Labels, _ point: Point) {
        var points = series.removeValue(forKey: labels) ?? []
        if let last = points.last, last.timestamp >= point.timestamp {
            if last.timestamp == point.timestamp { points[points.count - 1] = point }
        } else {
            points.append(point)
        }
        series[labels] = points
    }

    /// Removes points older than `time`, and series left empty.
    public mutating func dropPoints(before time: Int64) {
        for (labels, points) in series where (points.first?.timestamp ?? .max) < time {
            let kept = points.drop { $0.timestamp < time }
            series[labels] = kept.isEmpty ? nil : Array(kept)
        }
    }

    /// The newest point of a series, if any.
    public func last(_ labels: Labels) -> Point? { series[labels]?.last }

    public func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [Series] {
        var result: [Series] = []
        for (labels, points) in series where matchers.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) {
            let lower = points.partitionIndex { $0.timestamp >= start }
            let upper = points.partitionIndex { $0.timestamp > end }
            guard lower < upper else { continue }
            result.append(Series(labels: labels, points: Array(points[lower..<upper])))
        }
        return result.sorted { $0.labels < $1.labels }
    }
}

extension Array {
    /// The first index whose element satisfies `predicate`, which must be false then true along the array.
    func partitionIndex(where predicate: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
