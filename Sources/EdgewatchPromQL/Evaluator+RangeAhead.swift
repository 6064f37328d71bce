extension Evaluator {
    /// The range function `name`'s values at this step over the selector's series, with each
    /// series' position, from a ``RangeAhead`` table made for the steps ahead; nil when the query
    /// does not step (an instant query) or the function takes a scalar (it may change by step).
    mutating func valuesAhead(_ name: String, selector: VectorSelector, range: Int64) throws(PromQLError) -> [(index: Int, value: Double)]? {
        guard let stepping, name != "quantile_over_time", name != "predict_linear" else { return nil }
        if let held = ahead[selector.id], let position = held.position(of: time) { return Self.values(in: held, at: position) }
        // Steps move forward: the next table's windows are searched from where the last one's were.
        let bounds = ahead.removeValue(forKey: selector.id).flatMap { $0.last < time ? $0.bounds : nil }
        let table = try makeTable(name, selector: selector, range: range, step: stepping.step, end: stepping.end, bounds: bounds)
        ahead[selector.id] = table
        return Self.values(in: table, at: 0)
    }

    /// The values of the table's step at `position`, with their series' positions.
    private static func values(in table: RangeAhead, at position: Int) -> [(index: Int, value: Double)] {
        var result: [(index: Int, value: Double)] = []
        let base = position * table.series
        for index in 0..<table.series where table.present[base + index] { result.append((index, table.values[base + index])) }
        return result
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
