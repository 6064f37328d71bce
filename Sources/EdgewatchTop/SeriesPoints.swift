import EdgewatchCore

/// The points `top` read for one series: its labels, its recent raw points (latest value and
/// rate), and its history at the window's tier.
struct SeriesPoints: Sendable {
    var labels: Labels
    var isCounter: Bool
    /// Raw (timestamp, value) pairs of the last few cycles, oldest first.
    var recent: [(Int64, Double)] = []
    /// History points: raw values, or rollup columns (min, max, sum, count, last).
    var history: [(Int64, [Double])] = []

    /// The newest value (NaN is a staleness marker: no value).
    var latest: Double? {
        guard let value = recent.last?.1, !value.isNaN else { return nil }
        return value
    }

    /// Per-second increase over the last two raw points (counter resets count from zero).
    var rate: Double? {
        guard recent.count >= 2 else { return nil }
        let (t0, v0) = recent[recent.count - 2]
        let (t1, v1) = recent[recent.count - 1]
        guard t1 > t0, !v0.isNaN, !v1.isNaN else { return nil }
        let increase = v1 >= v0 ? v1 - v0 : v1
        return increase / (Double(t1 - t0) / 1000)
    }

    /// Increase of the last two raw points (for ratios of counters).
    var lastIncrease: Double? {
        guard recent.count >= 2, let v0 = Optional(recent[recent.count - 2].1), let v1 = recent.last?.1, !v0.isNaN, !v1.isNaN else { return nil }
        return v1 >= v0 ? v1 - v0 : v1
    }

    /// History as (timestamp, increase) per step for counters: consecutive raw differences, or
    /// the rollups' `sum` column (the increase within each bucket).
    func historyIncreases(rollup: Bool) -> [(Int64, Double)] {
        if rollup { return history.compactMap { $0.1.count > 2 && !$0.1[2].isNaN ? ($0.0, $0.1[2]) : nil } }
        var result: [(Int64, Double)] = []
        for index in history.indices.dropFirst() {
            let previous = history[index - 1].1.first ?? .nan
            let current = history[index].1.first ?? .nan
            guard !previous.isNaN, !current.isNaN else { continue }
            result.append((history[index].0, current >= previous ? current - previous : current))
        }
        return result
    }

    /// History of a gauge: raw values, or the rollups' mean (sum / count).
    func historyValues(rollup: Bool) -> [(Int64, Double)] {
        history.compactMap { point in
            if rollup {
                guard point.1.count > 3, point.1[3] > 0 else { return nil }
                return (point.0, point.1[2] / point.1[3])
            }
            guard let value = point.1.first, !value.isNaN else { return nil }
            return (point.0, value)
        }
    }
}
