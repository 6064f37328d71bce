import EdgewatchCore
import EdgewatchPromQL
import Testing

/// A range query keeps state across its steps (window bounds, aggregation groups, labels by
/// position); it must answer exactly what evaluating each step on its own answers.
@Suite struct RangeEvaluationTests {
    /// Counters with resets, a gauge, series that start and end inside the range, a staleness
    /// marker, and values that repeat (for count_values), over two jobs and three instances.
    static func source() -> MemorySeriesSource {
        var source = MemorySeriesSource()
        for instance in 0..<3 {
            for job in ["api", "db"] {
                let counter: Labels = ["__name__": "requests_total", "job": job, "instance": "i\(instance)"]
                let gauge: Labels = ["__name__": "load", "job": job, "instance": "i\(instance)"]
                // Instance 1 of each job exists only in the middle of the range; instance 2 goes stale.
                let first = instance == 1 ? 120 : 0
                let last = instance == 1 ? 300 : 480
                var total = 0.0
                for tick in stride(from: first, through: last, by: 1) {
                    let at = Int64(tick) * 10_000
                    total = tick % 97 == 0 ? 1 : total + Double(instance + 1)
                    source.append(counter, Point(at, total))
                    let value = instance == 2 && (200...230).contains(tick) ? StaleMarker.value : Double((tick + instance) % 5)
                    source.append(gauge, Point(at, value))
                }
            }
        }
        return source
    }

    static let expressions = [
        "sum by (job) (rate(requests_total[5m]))",
        "sum without (instance) (increase(requests_total[2m]))",
        "avg(load)",
        "count_values(\"value\", load)",
        "topk(2, load)",
        "max by (job) (max_over_time(load[3m])) - min by (job) (min_over_time(load[3m]))",
        "quantile(0.5, deriv(requests_total[4m]))",
        "sum(changes(load[90s])) by (instance)",
        "last_over_time(load[1m])",
        "count(count_over_time(load[30s]) > 2) by (job)",
        "load",
        "bottomk(3, load) or topk(1, requests_total)",
        "timestamp(load)",
        "load offset 2m",
        "requests_total - requests_total offset 5m",
    ]

    /// Steps shorter and longer than the points' spacing: a step's search for each series' latest
    /// point starts where the step before found it.
    @Test(arguments: expressions, [30_000, 170_000] as [Int64])
    func rangeEqualsEachStep(_ text: String, step: Int64) throws {
        let source = Self.source()
        let expression = try Parser.parse(text)
        let engine = Engine()
        let start: Int64 = 0
        let end: Int64 = 5_000_000
        let range = try engine.evaluateRange(expression, start: start, end: end, step: step, source: source)
        var expected: [Labels: [(Int64, UInt64)]] = [:]
        var time = start
        while time <= end {
            defer { time += step }
            guard case .vector(let samples) = try engine.evaluate(expression, at: time, source: source) else {
                Issue.record("\(text) is not an instant vector")
                return
            }
            for sample in samples { expected[sample.labels, default: []].append((time, sample.value.bitPattern)) }
        }
        #expect(range.count == expected.count, "\(text)")
        for series in range {
            let got = series.points.map { ($0.timestamp, $0.value.bitPattern) }
            let want = expected[series.labels] ?? []
            #expect(got.elementsEqual(want) { $0 == $1 }, "\(text): \(series.labels.promQLDescription)")
        }
    }
}
