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
        "(load)",
        "requests_total offset -1m",
        "requests_total - requests_total offset 5m",
        // Range functions work out a range query's steps ahead, series by series, 64 at a time:
        // each must equal the step on its own (the windows' searches carried from table to table).
        "irate(requests_total[1m]) + idelta(requests_total[1m])",
        "resets(requests_total[10m]) - delta(load[2m])",
        "rate(requests_total[5m] offset 1m) * 2",
        "avg_over_time(load[4m]) + sum_over_time(load[1m]) + stddev_over_time(load[2m])",
        "quantile_over_time(0.9, load[5m]) + predict_linear(requests_total[3m], 60)",
        "present_over_time(load[20s]) + stdvar_over_time(requests_total[90s])",
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

    /// Two stored series with one label set (a name stored with two types): a bare selector's
    /// range answer is still merged by label set, as any other expression's is.
    @Test func aBareSelectorsSeriesSharingLabelsAreMergedByLabelSet() throws {
        struct Twins: SeriesSource {
            func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Series] {
                let labels: Labels = ["__name__": "up", "job": "a"]
                return [Series(labels: labels, points: [Point(0, 1), Point(60_000, 1)]), Series(labels: labels, points: [Point(120_000, 2)])]
            }
        }
        let range = try Engine().evaluateRange(try Parser.parse("up"), start: 0, end: 180_000, step: 60_000, source: Twins())
        #expect(range.count == 1)
        let points = range.first?.points.map { [Double($0.timestamp), $0.value] } ?? []
        #expect(points == [[0, 1], [60_000, 1], [120_000, 1], [120_000, 2], [180_000, 1], [180_000, 2]])
    }

    /// A bare selector's series are asked for by label set, and any other expression's as the
    /// source keeps them; the answer is by label set either way, and the same.
    @Test func aBareSelectorAsksForItsSeriesByLabelSet() throws {
        final class Asked: SeriesSource {
            var ordered: [Bool] = []
            let inOrder: Bool
            init(inOrder: Bool) { self.inOrder = inOrder }
            func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Series] {
                try select(matchers, start: start, end: end, ordered: false)
            }
            func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, ordered: Bool) throws -> [Series] {
                self.ordered.append(ordered)
                let series = ["b", "c", "a"].map { Series(labels: ["__name__": "up", "job": .init($0)], points: [Point(0, 1)]) }
                return inOrder ? series.sorted { $0.labels < $1.labels } : series
            }
        }
        let engine = Engine()
        var answers: [[String]] = []
        for inOrder in [false, true] {
            let source = Asked(inOrder: inOrder)
            let range = try engine.evaluateRange(try Parser.parse("(up)"), start: 0, end: 60_000, step: 60_000, source: source)
            answers.append(range.map { $0.labels["job"] ?? "" })
            _ = try engine.evaluateRange(try Parser.parse("sum(up)"), start: 0, end: 60_000, step: 60_000, source: source)
            #expect(source.ordered == [true, false])
        }
        #expect(answers == [["a", "b", "c"], ["a", "b", "c"]])
    }

    /// Steps end at `end`, and at the last instant before the time would overflow; a range wider
    /// than an `Int64` is answered too.
    @Test func stepsEndAtTheEndAndBeforeOverflowing() throws {
        var source = MemorySeriesSource()
        source.append(["__name__": "up"], Point(.max - 6, 1))
        let engine = Engine()
        for text in ["1", "up"] {
            let late = try engine.evaluateRange(try Parser.parse(text), start: .max - 5, end: .max, step: 4, source: source)
            #expect(late.first?.points.map(\.timestamp) == [.max - 5, .max - 1], "\(text)")
        }
        let early = try engine.evaluateRange(try Parser.parse("1"), start: 0, end: 10, step: 5, source: source)
        #expect(early.first?.points.map(\.timestamp) == [0, 5, 10])
        // A range wider than an Int64 holds: its steps are still taken, none past `end`.
        var zero = MemorySeriesSource()
        zero.append(["__name__": "up"], Point(0, 1))
        let half = Int64.max / 2 + 1000
        let wide = try engine.evaluateRange(try Parser.parse("up"), start: -half, end: .max, step: half, source: zero)
        #expect(wide.first?.points.map(\.timestamp) == [0])
    }

    /// An offset and range that reach past a millisecond time's ends, or query times near them, are
    /// an evaluation error naming them, not an overflow that stops the process.
    @Test(arguments: [
        ("rate(load[200000000y] offset 200000000y)", Int64(0)),
        ("load offset -200000000y", Int64.max - 1000),
        ("load", Int64.min + 1000),
        ("sum(load offset 250000000y) + load", Int64(-2_000_000_000_000_000_000)),
    ])
    func aReachPastTheTimesIsAnError(_ text: String, _ time: Int64) throws {
        let expression = try Parser.parse(text)
        #expect(throws: PromQLError.self) {
            _ = try Engine().evaluateRange(expression, start: time, end: time, step: 60_000, source: Self.source())
        }
        do {
            _ = try Engine().evaluate(expression, at: time, source: Self.source())
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.kind == .evaluation && error.message.contains("reach past the times a query can read"))
        }
        // Far, but within them: answered (nothing there).
        let within = try Parser.parse("rate(load[100000000y] offset 100000000y)")
        guard case .vector(let samples) = try Engine().evaluate(within, at: 0, source: Self.source()) else {
            Issue.record("not a vector")
            return
        }
        #expect(samples.isEmpty)
    }
}
