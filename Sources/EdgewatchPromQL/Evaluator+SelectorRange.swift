import EdgewatchCore

extension Evaluator {
    /// A range query of a bare vector selector (a dashboard's "one metric over the fleet"): each
    /// series' latest point at every step, found by walking its points forward once, with no
    /// instant vector made per step nor answers gathered back by label set. What ``instant(_:)``
    /// at each step answers; nil when two selected series share a label set (then the steps'
    /// answers are merged by label set, as for any other expression).
    func selectorRange(_ selector: VectorSelector, start: Int64, end: Int64, step: Int64) -> [Series]? {
        let selected = data[selector.id] ?? []
        var answered: [Series] = []
        answered.reserveCapacity(selected.count)
        for series in selected {
            let points = Self.latestPoints(series.points, offset: selector.offset, lookback: lookback, start: start, end: end, step: step)
            if !points.isEmpty { answered.append(Series(labels: series.labels, points: points)) }
        }
        // In order already when the source gave its series so (each pair in order: no two the same).
        if zip(answered, answered.dropFirst()).allSatisfy({ $0.labels < $1.labels }) { return answered }
        answered = Labels.order(answered.map(\.labels)).map { answered[$0] }
        for index in answered.indices.dropFirst() where answered[index - 1].labels == answered[index].labels { return nil }
        return answered
    }

    /// At each step from `start` to `end`, the latest of `points` at or before the step (less
    /// `offset`) within `lookback`, unless stale, stamped with the step's time.
    static func latestPoints(_ points: [Point], offset: Int64, lookback: Int64, start: Int64, end: Int64, step: Int64) -> [Point] {
        var answered: [Point] = []
        // At most as many points as steps (up to Prometheus' 11,000 a series), counted without
        // overflowing: a range wider than an Int64 holds is answered too.
        let (span, overflow) = end.subtractingReportingOverflow(start)
        if !overflow, span >= 0, step > 0 { answered.reserveCapacity(Int(min(span / step + 1, 11_000))) }
        var after = 0
        for time in Engine.steps(start: start, end: end, step: step) {
            let latest = latest(points, at: time - offset, from: after, lookback: lookback)
            after = latest.after
            if let point = latest.point { answered.append(Point(time, point.value)) }
        }
        return answered
    }

    /// The latest of `points` at or before `reference`, searched from `hint` (an index not past
    /// the answer's), and the index after it; the point is nil when it is older than `lookback`
    /// or a staleness marker.
    static func latest(_ points: [Point], at reference: Int64, from hint: Int, lookback: Int64) -> (after: Int, point: Point?) {
        let after = points.partitionIndex(from: hint) { $0.timestamp > reference }
        guard after > 0 else { return (after, nil) }
        let point = points[after - 1]
        guard point.timestamp >= reference - lookback, !StaleMarker.isStale(point.value) else { return (after, nil) }
        return (after, point)
    }
}

extension Expression {
    /// The vector selector this expression is, inside any parentheses; nil for anything else.
    var bareSelector: VectorSelector? {
        switch self {
        case .vectorSelector(let selector): return selector
        case .parenthesized(let inner): return inner.bareSelector
        default: return nil
        }
    }
}
