import EdgewatchCore

/// Walks an expression at one instant; the data every selector needs for the whole query
/// range is read from the source once, up front.
struct Evaluator {
    let lookback: Int64
    /// Selected series per selector id.
    var data: [Int: [Series]] = [:]
    /// Per selector id, see ``namelessLabels(_:)``.
    var nameless: [Int: (labels: [Labels], unique: Bool)] = [:]
    /// Per selector id, see ``livePoints(_:)``.
    var live: [Int: [[Point]]] = [:]
    /// A range query's step and end (nil for an instant query): range functions work out the
    /// steps ahead series by series (``forEachValueAhead(_:selector:range:_:)``).
    var stepping: (step: Int64, end: Int64)?
    /// Per matrix selector id, its range function's values for the steps ahead.
    var ahead: [Int: RangeAhead] = [:]
    /// Per selector id, see ``counterResets(for:_:)``.
    var resets: [Int: CounterResets] = [:]
    /// Per selector id, where its series' windows were at the last step.
    var windowBounds: [Int: WindowBounds] = [:]
    /// Per selector id, where its series' latest points were at the last step (``WindowBounds/upper``).
    var instantBounds: [Int: WindowBounds] = [:]
    /// Per aggregation id, its groups (see ``AggregationGroups``).
    var groups: [Int: AggregationGroups] = [:]
    var time: Int64 = 0

    init(expression: Expression, start: Int64, end: Int64, lookback: Int64, source: any SeriesSource) throws(PromQLError) {
        self.lookback = lookback
        let ordered = expression.bareSelector != nil
        for (selector, range) in expression.selectors {
            let window = range > 0 ? range : lookback
            guard let reach = Self.reach(start: start, end: end, offset: selector.offset, window: window) else {
                let (offset, width) = (PromDuration.format(selector.offset), PromDuration.format(window))
                throw PromQLError(evaluation: "offset \(offset) and range \(width) reach past the times a query can read")
            }
            do {
                data[selector.id] = try source.select(selector.matchers, start: reach.lowerBound, end: reach.upperBound, ordered: ordered)
            } catch let error as PromQLError {
                throw error
            } catch {
                throw PromQLError(evaluation: "reading series: \(error)")
            }
        }
    }

    /// The times a selector reads, `[start - offset - window, end - offset]`; nil when they do not
    /// fit in a millisecond time (a hostile offset or range, or query times near its ends). Every
    /// time a step works out for the selector lies within them.
    static func reach(start: Int64, end: Int64, offset: Int64, window: Int64) -> ClosedRange<Int64>? {
        let (from, pastStart) = start.subtractingReportingOverflow(offset)
        let (lower, pastWindow) = from.subtractingReportingOverflow(window)
        let (upper, pastEnd) = end.subtractingReportingOverflow(offset)
        guard !pastStart, !pastWindow, !pastEnd, lower <= upper else { return nil }
        return lower...upper
    }

    mutating func evaluate(_ expression: Expression) throws(PromQLError) -> QueryValue {
        switch expression {
        case .number(let value): return .scalar(value)
        case .string(let value): return .string(value)
        case .vectorSelector(let selector): return .vector(instant(selector))
        case .matrixSelector(let selector, let range): return .matrix(matrix(selector, range: range))
        case .parenthesized(let inner): return try evaluate(inner)
        case .negation(let inner):
            switch try evaluate(inner) {
            case .scalar(let value): return .scalar(-value)
            case .vector(let samples):
                let negated = samples.map { Sample(labels: $0.labels.droppingName(), value: -$0.value, timestamp: time) }
                try Self.checkUniqueLabels(negated)
                return .vector(negated)
            default: throw PromQLError(evaluation: "unary minus needs a scalar or an instant vector")
            }
        case .binary(let binary): return try evaluateBinary(binary)
        case .aggregation(let aggregation): return try evaluateAggregation(aggregation)
        case .call(let call): return try evaluateCall(call)
        }
    }

    /// The latest non-stale sample of each selected series within the lookback window. Steps move
    /// forward, so each series' latest point is searched from where the previous step's was.
    mutating func instant(_ selector: VectorSelector) -> [Sample] {
        let reference = time - selector.offset
        let selected = data[selector.id] ?? []
        var bounds = instantBounds.removeValue(forKey: selector.id) ?? WindowBounds(count: selected.count)
        defer { instantBounds[selector.id] = bounds }
        if reference < bounds.end { bounds = WindowBounds(count: selected.count) }
        bounds.end = reference
        var samples: [Sample] = []
        for (position, series) in selected.enumerated() {
            let latest = Self.latest(series.points, at: reference, from: bounds.upper[position], lookback: lookback)
            bounds.upper[position] = latest.after
            guard let point = latest.point else { continue }
            samples.append(Sample(labels: series.labels, value: point.value, timestamp: point.timestamp))
        }
        return samples
    }

    /// The non-stale points of each selected series in `[t - offset - range, t - offset]`.
    mutating func matrix(_ selector: VectorSelector, range: Int64) -> [Series] {
        let selected = data[selector.id] ?? []
        var result: [Series] = []
        forEachWindow(selector, range: range) { index, _, points in
            result.append(Series(labels: selected[index].labels, points: Array(points)))
        }
        return result
    }

    /// Calls `body` with each selected series' window of this step that holds a point: the series'
    /// position among the selector's, the window's positions in its ``livePoints(_:)``, and the
    /// window's points (valid during the call: no step copies a point). Steps move forward, so
    /// each window's bounds are searched from where the previous step's were.
    mutating func forEachWindow(
        _ selector: VectorSelector,
        range: Int64,
        _ body: (_ index: Int, _ window: Range<Int>, _ points: UnsafeBufferPointer<Point>) -> Void
    ) {
        let end = time - selector.offset
        let start = end - range
        let all = livePoints(selector)
        var bounds = windowBounds.removeValue(forKey: selector.id) ?? WindowBounds(count: all.count)
        defer { windowBounds[selector.id] = bounds }
        if end < bounds.end { bounds = WindowBounds(count: all.count) }
        bounds.end = end
        all.withUnsafeBufferPointer { all in
            for index in all.indices {
                all[index].withUnsafeBufferPointer { points in
                    let window = bounds.advance(index, points, start: start, end: end)
                    if !window.isEmpty { body(index, window, UnsafeBufferPointer(rebasing: points[window])) }
                }
            }
        }
    }

    /// Where the selector's series fall (``CounterResets``), made once per query, for the range
    /// functions that look for falls (`rate`, `increase`, `resets`); nil for the others.
    mutating func counterResets(for function: String, _ selector: VectorSelector) -> CounterResets? {
        guard ["rate", "increase", "resets"].contains(function) else { return nil }
        if let known = resets[selector.id] { return known }
        let made = CounterResets(livePoints(selector))
        resets[selector.id] = made
        return made
    }

    /// The selector's series' points without staleness markers (what range vectors hold), made
    /// once per query; a series without markers shares its points.
    mutating func livePoints(_ selector: VectorSelector) -> [[Point]] {
        if let known = live[selector.id] { return known }
        let made = (data[selector.id] ?? []).map { series in
            series.points.contains { StaleMarker.isStale($0.value) } ? series.points.filter { !StaleMarker.isStale($0.value) } : series.points
        }
        live[selector.id] = made
        return made
    }

    /// The selector's series' labels without `__name__` (what range functions answer with), made
    /// once per query, and whether they are still unique (then no step needs to check them).
    mutating func namelessLabels(_ selector: VectorSelector) -> (labels: [Labels], unique: Bool) {
        if let known = nameless[selector.id] { return known }
        let labels = (data[selector.id] ?? []).map { $0.labels.droppingName() }
        let made = (labels, Set(labels).count == labels.count)
        nameless[selector.id] = made
        return made
    }

    mutating func vector(_ expression: Expression) throws(PromQLError) -> [Sample] {
        guard case .vector(let samples) = try evaluate(expression) else {
            throw PromQLError(evaluation: "expected an instant vector")
        }
        return samples
    }

    mutating func scalar(_ expression: Expression) throws(PromQLError) -> Double {
        guard case .scalar(let value) = try evaluate(expression) else {
            throw PromQLError(evaluation: "expected a scalar")
        }
        return value
    }

    mutating func string(_ expression: Expression) throws(PromQLError) -> String {
        guard case .string(let value) = try evaluate(expression) else {
            throw PromQLError(evaluation: "expected a string")
        }
        return value
    }

    static func checkUniqueLabels(_ samples: [Sample]) throws(PromQLError) {
        guard samples.count > 1 else { return }
        var seen = Set<Labels>()
        for sample in samples where !seen.insert(sample.labels).inserted {
            throw PromQLError(evaluation: "vector cannot contain metrics with the same labelset")
        }
    }
}
