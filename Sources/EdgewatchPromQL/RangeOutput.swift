import EdgewatchCore

/// The points of a range query by label set. A step's vector mostly lists the same series in the
/// same order as the step before, so each position remembers its series: a label set equal to
/// the remembered one (usually the same storage, compared at once) needs no hashing.
struct RangeOutput {
    private var labels: [Labels] = []
    private var points: [[Point]] = []
    private var index: [Labels: Int] = [:]
    /// Per position in the previous step's vector, the series it held.
    private var byPosition: [Int] = []

    mutating func append(_ sampleLabels: Labels, at position: Int, _ point: Point) {
        let series: Int
        if position < byPosition.count, labels[byPosition[position]] == sampleLabels {
            series = byPosition[position]
        } else if let known = index[sampleLabels] {
            series = known
        } else {
            series = labels.count
            labels.append(sampleLabels)
            points.append([])
            index[sampleLabels] = series
        }
        points[series].append(point)
        if position < byPosition.count {
            byPosition[position] = series
        } else {
            byPosition.append(series)
        }
    }

    /// One series per label set, sorted by labels.
    func series() -> [Series] {
        zip(labels, points).map { Series(labels: $0, points: $1) }.sorted { $0.labels < $1.labels }
    }
}
