/// A range function's values over one selector's series for a run of a range query's steps,
/// worked out series by series: each series' points are walked once for the whole run, where a
/// step at a time visits every series' points again and again (a fleet's thousands of series are
/// far more than the caches hold). Steps read it in turn.
struct RangeAhead {
    /// The first step the table holds, the distance between steps, and how many it holds.
    let first: Int64
    let step: Int64
    let steps: Int
    /// How many series each step has a slot for.
    let series: Int
    /// Step by step, a value per series (``present`` says which hold one).
    var values: [Double]
    var present: [Bool]
    /// Where each series' window was at the table's last step: the next table's search starts there.
    var bounds: WindowBounds

    /// The most values one table holds (series × steps): about 9 MB.
    static let capacity = 1 << 20
    /// The most steps one table holds.
    static let maximumSteps = 64

    init(first: Int64, step: Int64, steps: Int, series: Int, bounds: WindowBounds) {
        self.first = first
        self.step = step
        self.steps = steps
        self.series = series
        values = Array(repeating: 0, count: steps * series)
        present = Array(repeating: false, count: steps * series)
        self.bounds = bounds
    }

    /// The table's last step.
    var last: Int64 { first + Int64(steps - 1) * step }

    /// The position of the step at `time` in the table; nil when it holds no such step.
    func position(of time: Int64) -> Int? {
        guard time >= first, time <= last, (time - first) % step == 0 else { return nil }
        return Int((time - first) / step)
    }

    /// The steps a table for `series` series holds from `time`: every `step` (positive) up to
    /// `end`, ending early rather than overflowing, as the query's own steps do.
    static func times(from time: Int64, to end: Int64, step: Int64, series: Int) -> [Int64] {
        Array(Engine.steps(start: time, end: end, step: step).prefix(max(1, min(maximumSteps, capacity / max(series, 1)))))
    }
}
