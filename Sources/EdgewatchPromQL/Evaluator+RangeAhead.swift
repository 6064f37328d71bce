extension Evaluator {
    /// Calls `body` with the range function `name`'s value at this step for each of the selector's
    /// series that has one (and the series' position), from a ``RangeAhead`` table made for the
    /// steps ahead; false, calling nothing, when the query does not step (an instant query) or the
    /// function takes a scalar (it may change by step).
    mutating func forEachValueAhead(
        _ name: String,
        selector: VectorSelector,
        range: Int64,
        _ body: (_ index: Int, _ value: Double) -> Void
    ) throws(PromQLError) -> Bool {
        guard let stepping, name != "quantile_over_time", name != "predict_linear" else { return false }
        let table: RangeAhead
        if let held = ahead[selector.id], held.position(of: time) != nil {
            table = held
        } else {
            // Steps move forward: the next table's windows are searched from where the last one's were.
            let bounds = ahead.removeValue(forKey: selector.id).flatMap { $0.last < time ? $0.bounds : nil }
            table = try makeTable(name, selector: selector, range: range, step: stepping.step, end: stepping.end, bounds: bounds)
            ahead[selector.id] = table
        }
        guard let position = table.position(of: time) else { return false }
        let base = position * table.series
        for index in 0..<table.series where table.present[base + index] { body(index, table.values[base + index]) }
        return true
    }

    /// A table from this step on: each series' windows at every step of it, in one walk.
    private mutating func makeTable(
        _ name: String,
        selector: VectorSelector,
        range: Int64,
        step: Int64,
        end: Int64,
        bounds: WindowBounds?
    ) throws(PromQLError) -> RangeAhead {
        let all = livePoints(selector)
        let times = RangeAhead.times(from: time, to: end, step: step, series: all.count)
        let steps = times.count
        var functions: [(UnsafeBufferPointer<Point>, Bool) -> Double?] = []
        for at in times {
            let rangeEnd = at - selector.offset
            functions.append(try Self.rangeFunction(name, rangeStart: rangeEnd - range, rangeEnd: rangeEnd, range: range, at: at, 0))
        }
        let resets = counterResets(for: name, selector)
        var table = RangeAhead(first: time, step: step, steps: steps, series: all.count, bounds: bounds ?? WindowBounds(count: all.count))
        let offset = selector.offset
        all.withUnsafeBufferPointer { all in
            for index in all.indices {
                all[index].withUnsafeBufferPointer { points in
                    for position in 0..<steps {
                        let windowEnd = times[position] - offset
                        let window = table.bounds.advance(index, points, start: windowEnd - range, end: windowEnd)
                        guard !window.isEmpty else { continue }
                        let mayReset = resets?.any(index, in: window) ?? true
                        guard let value = functions[position](UnsafeBufferPointer(rebasing: points[window]), mayReset) else { continue }
                        table.values[position * all.count + index] = value
                        table.present[position * all.count + index] = true
                    }
                }
            }
        }
        return table
    }
}
