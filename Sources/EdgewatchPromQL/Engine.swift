import EdgewatchCore

/// Evaluates PromQL expressions over a ``SeriesSource`` with Prometheus semantics
/// (5-minute lookback, staleness markers, extrapolated rates).
public struct Engine: Sendable {
    /// How far back an instant selector looks for the latest sample (milliseconds).
    public var lookback: Int64

    public init(lookback: Int64 = 300_000) {
        self.lookback = lookback
    }

    /// Evaluates `expression` at `time` (milliseconds since the epoch).
    public func evaluate(_ expression: Expression, at time: Int64, source: any SeriesSource) throws(PromQLError) -> QueryValue {
        var evaluator = try Evaluator(expression: expression, start: time, end: time, lookback: lookback, source: source)
        evaluator.time = time
        return try evaluator.evaluate(expression)
    }

    /// Evaluates `expression` at every `step` from `start` to `end`, returning one series per label set.
    public func evaluateRange(
        _ expression: Expression,
        start: Int64,
        end: Int64,
        step: Int64,
        source: any SeriesSource
    ) throws(PromQLError) -> [Series] {
        guard step > 0, end >= start else { throw PromQLError(evaluation: "the step must be positive and the end not before the start") }
        var evaluator = try Evaluator(expression: expression, start: start, end: end, lookback: lookback, source: source)
        if let selector = expression.bareSelector, let answered = evaluator.selectorRange(selector, start: start, end: end, step: step) {
            return answered
        }
        evaluator.stepping = (step, end)
        var output = RangeOutput()
        for time in Self.steps(start: start, end: end, step: step) {
            evaluator.time = time
            switch try evaluator.evaluate(expression) {
            case .scalar(let value): output.append(Labels(), at: 0, Point(time, value))
            case .vector(let samples):
                for (position, sample) in samples.enumerated() { output.append(sample.labels, at: position, Point(time, sample.value)) }
            case .string, .matrix:
                throw PromQLError(evaluation: "range queries need an expression of type scalar or instant vector, got \(expression.type.rawValue)")
            }
        }
        return output.series()
    }

    /// The instants of a range query: `start`, then every `step` (positive) up to `end`, ending
    /// early rather than overflowing.
    static func steps(start: Int64, end: Int64, step: Int64) -> some Sequence<Int64> {
        sequence(first: start) { time in
            let (next, overflow) = time.addingReportingOverflow(step)
            return overflow ? nil : next
        }
        .lazy.prefix { $0 <= end }
    }
}
