import EdgewatchCore

/// Where the engine reads series from: the agent's store, the hub's database or a test's memory.
public protocol SeriesSource {
    /// The series matching every matcher, with their points in `[start, end]` (milliseconds), in
    /// an order the source keeps from call to call (the engine sorts what it answers).
    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Series]

    /// The same series; with `ordered`, by label set where the source has that order at hand (the
    /// engine asks so for a bare selector, whose answer is in that order, and sorts what is not).
    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, ordered: Bool) throws -> [Series]
}

extension SeriesSource {
    public func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, ordered: Bool) throws -> [Series] {
        try select(matchers, start: start, end: end)
    }
}

/// Series held in memory, in slots indexed by label set and by metric name: the agent's rule
/// window, the rule test runner and tests load data here.
public struct MemorySeriesSource: SeriesSource, Sendable {
    private var entries: [Series] = []
    private var index: [Labels: Int] = [:]
    private var byName: [String: [Int]] = [:]
    private var emptySlots = 0
    /// Changes whenever slots are renumbered (see ``compact()``); cached slots are then invalid.
    public private(set) var generation = 0

    public init() {}

    /// The number of series held (including ones whose points were all dropped, until compaction).
    public var count: Int { entries.count }

    /// The slot of `labels`, created when new.
    public mutating func slot(for labels: Labels) -> Int {
        if let slot = index[labels] { return slot }
        let slot = entries.count
        entries.append(Series(labels: labels, points: []))
        index[labels] = slot
        byName[labels.metricName ?? "", default: []].append(slot)
        return slot
    }

    /// Appends a point; points must arrive in time order per series (a repeated timestamp replaces, older ones are dropped).
    public mutating func append(_ labels: Labels, _ point: Point) {
        append(slot: slot(for: labels), point)
    }

    public mutating func append(slot: Int, _ point: Point) {
        if let last = entries[slot].points.last, last.timestamp >= point.timestamp {
            if last.timestamp == point.timestamp { entries[slot].points[entries[slot].points.count - 1] = point }
            return
        }
        if entries[slot].points.isEmpty { emptySlots -= 1 }
        entries[slot].points.append(point)
    }

    /// Removes points older than `time` from one slot.
    public mutating func dropPoints(slot: Int, before time: Int64) {
        let count = entries[slot].points.partitionIndex { $0.timestamp >= time }
        guard count > 0 else { return }
        entries[slot].points.removeFirst(count)
        if entries[slot].points.isEmpty { emptySlots += 1 }
    }

    /// Removes points older than `time` from every series.
    public mutating func dropPoints(before time: Int64) {
        for slot in entries.indices { dropPoints(slot: slot, before: time) }
    }

    /// Forgets series without points when they are most of the slots (label sets that churn,
    /// like pods and alerts, would otherwise accumulate). Renumbers slots: bumps ``generation``.
    public mutating func compact() {
        guard emptySlots > 64, emptySlots * 2 > entries.count else { return }
        let kept = entries.filter { !$0.points.isEmpty }
        entries = []
        index = [:]
        byName = [:]
        emptySlots = 0
        generation += 1
        for series in kept {
            let slot = self.slot(for: series.labels)
            entries[slot].points = series.points
        }
    }

    /// The newest point of a series, if any.
    public func last(_ labels: Labels) -> Point? { index[labels].flatMap { entries[$0].points.last } }

    public func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [Series] {
        let candidates: [Int]
        if let name = matchers.metricName {
            candidates = byName[name] ?? []
        } else {
            candidates = Array(entries.indices)
        }
        var result: [Series] = []
        for slot in candidates {
            let series = entries[slot]
            let points = series.points
            guard let first = points.first, let last = points.last, first.timestamp <= end, last.timestamp >= start else { continue }
            guard matchers.allSatisfy({ $0.matches(series.labels[$0.name] ?? "") }) else { continue }
            let lower = points.partitionIndex { $0.timestamp >= start }
            let upper = points.partitionIndex { $0.timestamp > end }
            guard lower < upper else { continue }
            result.append(Series(labels: series.labels, points: lower == 0 && upper == points.count ? points : Array(points[lower..<upper])))
        }
        return result.sorted { $0.labels < $1.labels }
    }
}

extension RandomAccessCollection where Index == Int {
    /// The first index whose element satisfies `predicate`, which must be false then true along the array.
    func partitionIndex(where predicate: (Element) -> Bool) -> Int {
        partitionIndex(from: 0, where: predicate)
    }

    /// The same, known to be at or after `hint`: a few elements are looked at one by one (the
    /// answer is usually near), then the rest is searched by halves.
    func partitionIndex(from hint: Int, where predicate: (Element) -> Bool) -> Int {
        var low = Swift.min(Swift.max(hint, startIndex), endIndex)
        var high = Swift.min(low + 8, endIndex)
        while low < high {
            if predicate(self[low]) { return low }
            low += 1
        }
        high = endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if predicate(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
