import EdgewatchCore

/// The points of a range query by label set. A step's vector mostly lists the same series in the
/// same order as the step before, so each position remembers its series: a label set equal to
/// the remembered one (usually the same storage, compared at once) needs no hashing. Nor do the
/// first step's series (a vector's label sets are distinct); the index by label set is built
/// only when a later step lists a series elsewhere or anew.
struct RangeOutput {
    private var labels: [Labels] = []
    private var points: [[Point]] = []
    private var index: [Labels: Int]?
    /// Per position in the previous step's vector, the series it held.
    private var byPosition: [Int] = []
    /// The steps begun so far (a step begins with its vector's first sample, at position 0).
    private var steps = 0

    mutating func append(_ sampleLabels: Labels, at position: Int, _ point: Point) {
        if position == 0 { steps += 1 }
        let series: Int
        if position < byPosition.count, labels[byPosition[position]] == sampleLabels {
            series = byPosition[position]
        } else if steps <= 1 {
            series = add(sampleLabels)
        } else {
            if index == nil { index = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }) }
            if let found = index?[sampleLabels] {
                series = found
            } else {
                series = add(sampleLabels)
                index?[sampleLabels] = series
            }
        }
        points[series].append(point)
        if position < byPosition.count {
            byPosition[position] = series
        } else {
            byPosition.append(series)
        }
    }

    private mutating func add(_ sampleLabels: Labels) -> Int {
        labels.append(sampleLabels)
        points.append([])
        return labels.count - 1
    }

    /// One series per label set, sorted by labels.
    func series() -> [Series] {
        Labels.order(labels).map { Series(labels: labels[$0], points: points[$0]) }
    }
}
