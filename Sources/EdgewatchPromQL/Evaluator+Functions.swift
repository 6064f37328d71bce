import EdgewatchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    mutating func evaluateCall(_ call: FunctionCall) throws(PromQLError) -> QueryValue {
        let name = call.function.name
        let arguments = call.arguments
        switch name {
        case "time": return .scalar(Double(time) / 1000)
        case "pi": return .scalar(Double.pi)
        case "vector": return .vector([Sample(labels: Labels(), value: try scalar(arguments[0]), timestamp: time)])
        case "scalar":
            let samples = try vector(arguments[0])
            return .scalar(samples.count == 1 ? samples[0].value : .nan)
        case "absent":
            guard try vector(arguments[0]).isEmpty else { return .vector([]) }
            return .vector([Sample(labels: Self.absentLabels(arguments[0]), value: 1, timestamp: time)])
        case "absent_over_time":
            guard case .matrix(let series) = try evaluate(arguments[0]), series.isEmpty else { return .vector([]) }
            return .vector([Sample(labels: Self.absentLabels(arguments[0]), value: 1, timestamp: time)])
        case "timestamp":
            var inner = arguments[0]
            while case .parenthesized(let unwrapped) = inner { inner = unwrapped }
            let samples: [Sample]
            if case .vectorSelector(let selector) = inner {
                samples = instant(selector)
            } else {
                samples = try vector(arguments[0]).map { Sample(labels: $0.labels, value: $0.value, timestamp: time) }
            }
            return try checked(samples.map { Sample(labels: $0.labels.droppingName(), value: Double($0.timestamp) / 1000, timestamp: time) })
        case "label_replace": return try labelReplace(arguments)
        case "label_join": return try labelJoin(arguments)
        case "histogram_quantile": return try histogramQuantile(arguments)
        case "sort", "sort_desc":
            let samples = try vector(arguments[0])
            let ascending = name == "sort"
            return .vector(
                samples.sorted { a, b in
                    if a.value.isNaN { return false }
                    if b.value.isNaN { return true }
                    return ascending ? a.value < b.value : a.value > b.value
                }
            )
        case "round":
            let samples = try vector(arguments[0])
            let nearest = arguments.count > 1 ? try scalar(arguments[1]) : 1
            let inverse = 1 / nearest
            return try mapped(samples) { (($0 * inverse + 0.5).rounded(.down)) / inverse }
        case "clamp":
            let samples = try vector(arguments[0])
            let low = try scalar(arguments[1]), high = try scalar(arguments[2])
            guard high >= low || low.isNaN || high.isNaN else { return .vector([]) }
            return try mapped(samples) { Self.goMax(low, Self.goMin(high, $0)) }
        case "clamp_min":
            let samples = try vector(arguments[0])
            let low = try scalar(arguments[1])
            return try mapped(samples) { Self.goMax(low, $0) }
        case "clamp_max":
            let samples = try vector(arguments[0])
            let high = try scalar(arguments[1])
            return try mapped(samples) { Self.goMin(high, $0) }
        case "minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year":
            let samples =
                arguments.isEmpty
                ? [Sample(labels: Labels(), value: Double(time) / 1000, timestamp: time)]
                : try vector(arguments[0])
            return try mapped(samples) { CivilTime.component(name, ofUnixSeconds: $0) }
        default:
            break
        }
        if let simple = Self.simpleFunctions[name] {
            return try mapped(try vector(arguments[0]), simple)
        }
        return try evaluateRangeFunction(call)
    }

    static let simpleFunctions: [String: @Sendable (Double) -> Double] = [
        "abs": { abs($0) }, "ceil": { ceil($0) }, "floor": { floor($0) }, "exp": { exp($0) }, "sqrt": { sqrt($0) },
        "ln": { log($0) }, "log2": { log2($0) }, "log10": { log10($0) },
        "sgn": { $0 > 0 ? 1 : ($0 < 0 ? -1 : $0) },
    ]

    func mapped(_ samples: [Sample], _ transform: (Double) -> Double) throws(PromQLError) -> QueryValue {
        try checked(samples.map { Sample(labels: $0.labels.droppingName(), value: transform($0.value), timestamp: time) })
    }

    func checked(_ samples: [Sample]) throws(PromQLError) -> QueryValue {
        try Self.checkUniqueLabels(samples)
        return .vector(samples)
    }

    /// Go's math.Max/Min: NaN wins.
    static func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.max(a, b) }
    static func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : Swift.min(a, b) }

    /// The labels `absent` reports: the selector's equality matchers, except names matched twice or otherwise.
    static func absentLabels(_ expression: Expression) -> Labels {
        let matchers: [LabelMatcher]
        switch expression {
        case .vectorSelector(let selector), .matrixSelector(let selector, _): matchers = selector.matchers
        default: return Labels()
        }
        var labels: [String: String] = [:]
        var dropped: Set<String> = []
        for matcher in matchers where matcher.name != "__name__" {
            if matcher.operation == .equal, labels[matcher.name] == nil {
                labels[matcher.name] = matcher.value
            } else {
                dropped.insert(matcher.name)
            }
        }
        return Labels(labels.filter { !dropped.contains($0.key) }.map { Label($0.key, $0.value) })
    }

    mutating func evaluateRangeFunction(_ call: FunctionCall) throws(PromQLError) -> QueryValue {
        let name = call.function.name
        var scalarArgument = 0.0
        var matrixExpression = call.arguments[0]
        if name == "quantile_over_time" {
            scalarArgument = try scalar(call.arguments[0])
            matrixExpression = call.arguments[1]
        } else if name == "predict_linear" {
            scalarArgument = try scalar(call.arguments[1])
        }
        guard case .matrixSelector(let selector, let range) = matrixExpression else {
            throw PromQLError(evaluation: "\(name) needs a range vector selector")
        }
        let selected = data[selector.id] ?? []
        let nameless = namelessLabels(selector)
        var output: [Sample] = []
        let time = self.time
        func add(_ index: Int, _ value: Double) {
            let labels = name == "last_over_time" ? selected[index].labels : nameless.labels[index]
            output.append(Sample(labels: labels, value: value, timestamp: time))
        }
        if try !forEachValueAhead(name, selector: selector, range: range, add) {
            let rangeEnd = time - selector.offset
            let function = try Self.rangeFunction(name, rangeStart: rangeEnd - range, rangeEnd: rangeEnd, range: range, at: time, scalarArgument)
            // Whether a window may hold a fall: for the functions that look for one, known per series.
            let resets = counterResets(for: name, selector)
            forEachWindow(selector, range: range) { index, window, points in
                guard let value = function(points, resets?.any(index, in: window) ?? true) else { return }
                add(index, value)
            }
        }
        // Label sets unique without their names stay unique in any subset: no check per step.
        return name != "last_over_time" && nameless.unique ? .vector(output) : try checked(output)
    }

    /// The range function `name` over one window's points (and whether a counter reset may lie
    /// among them), chosen once per step rather than per series.
    static func rangeFunction(
        _ name: String,
        rangeStart: Int64,
        rangeEnd: Int64,
        range: Int64,
        at time: Int64,
        _ argument: Double
    ) throws(PromQLError) -> (UnsafeBufferPointer<Point>, _ mayReset: Bool) -> Double? {
        func extrapolated(counter: Bool, rate: Bool) -> (UnsafeBufferPointer<Point>, Bool) -> Double? {
            { points, mayReset in
                RangeFunctions.extrapolatedRate(
                    points,
                    rangeStart: rangeStart,
                    rangeEnd: rangeEnd,
                    range: range,
                    isCounter: counter,
                    mayReset: mayReset,
                    isRate: rate
                )
            }
        }
        switch name {
        case "rate": return extrapolated(counter: true, rate: true)
        case "increase": return extrapolated(counter: true, rate: false)
        case "delta": return extrapolated(counter: false, rate: false)
        case "irate": return { points, _ in RangeFunctions.instantValue(points, isRate: true) }
        case "idelta": return { points, _ in RangeFunctions.instantValue(points, isRate: false) }
        case "deriv":
            return { points, _ in
                guard points.count >= 2, let first = points.first else { return nil }
                return RangeFunctions.linearRegression(points, interceptTime: first.timestamp).slope
            }
        case "predict_linear":
            return { points, _ in
                guard points.count >= 2 else { return nil }
                let (slope, intercept) = RangeFunctions.linearRegression(points, interceptTime: time)
                return slope * argument + intercept
            }
        case "changes": return { points, _ in RangeFunctions.changes(points) }
        case "resets": return { points, mayReset in mayReset ? RangeFunctions.resets(points) : 0 }
        case "avg_over_time": return { points, _ in RangeFunctions.average(points) }
        case "sum_over_time": return { points, _ in RangeFunctions.sum(points) }
        case "min_over_time": return { points, _ in RangeFunctions.minimum(points) }
        case "max_over_time": return { points, _ in RangeFunctions.maximum(points) }
        case "count_over_time": return { points, _ in Double(points.count) }
        case "last_over_time": return { points, _ in points.last?.value }
        case "present_over_time": return { _, _ in 1 }
        case "stddev_over_time": return { points, _ in sqrt(RangeFunctions.variance(points)) }
        case "stdvar_over_time": return { points, _ in RangeFunctions.variance(points) }
        case "quantile_over_time": return { points, _ in quantile(argument, points.map(\.value)) }
        default: throw PromQLError(evaluation: "function \(name) is not implemented")
        }
    }

    mutating func histogramQuantile(_ arguments: [Expression]) throws(PromQLError) -> QueryValue {
        let q = try scalar(arguments[0])
        let samples = try vector(arguments[1])
        var order: [Labels] = []
        var groups: [Labels: [HistogramQuantile.Bucket]] = [:]
        for sample in samples {
            guard let bound = sample.labels["le"].flatMap(Self.parseBound) else { continue }
            let key = sample.labels.removing(["le", "__name__"])
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(HistogramQuantile.Bucket(upperBound: bound, count: sample.value))
        }
        return .vector(order.map { Sample(labels: $0, value: HistogramQuantile.quantile(q, groups[$0] ?? []), timestamp: time) })
    }

    /// Parses an `le` bound as Go's ParseFloat does for the forms exporters write.
    static func parseBound(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf": return .infinity
        case "-inf": return -.infinity
        case "nan": return .nan
        default: return Double(text)
        }
    }
}
