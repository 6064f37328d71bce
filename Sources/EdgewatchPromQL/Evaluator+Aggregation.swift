import EdgewatchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    mutating func evaluateAggregation(_ aggregation: AggregationExpression) throws(PromQLError) -> QueryValue {
        var parameter: Double = 0
        var labelName = ""
        switch aggregation.op {
        case .topk, .bottomk, .quantile:
            parameter = try scalar(aggregation.parameter ?? .number(0))
        case .countValues:
            labelName = try string(aggregation.parameter ?? .string(""))
            guard Parser.isLabelName(labelName) else { throw PromQLError(evaluation: "invalid label name \"\(labelName)\"") }
        default:
            break
        }
        let samples = try vector(aggregation.expression)
        func key(_ labels: Labels) -> Labels {
            aggregation.without ? labels.removing(aggregation.grouping + ["__name__"]) : labels.keeping(aggregation.grouping)
        }
        // Taken out while in use, so its storage stays uniquely owned and is changed in place.
        var groups = self.groups.removeValue(forKey: aggregation.id) ?? AggregationGroups()
        defer { self.groups[aggregation.id] = groups }
        groups.beginStep()
        for (position, sample) in samples.enumerated() {
            if aggregation.op == .countValues {
                groups.add(position: position, groupKey: key(sample.labels).adding(labelName, GoFloat.format(sample.value, style: .fixed)))
            } else {
                groups.add(position: position, sample.labels, key: key)
            }
        }
        var output: [Sample] = []
        var values: [Double] = []
        for number in groups.order {
            let groupKey = groups.keys[number]
            values.removeAll(keepingCapacity: true)
            for member in groups.members[number] { values.append(samples[member].value) }
            switch aggregation.op {
            case .topk, .bottomk:
                let k = parameter.isNaN ? 0 : Int(clamping: parameter.roundedInt64(.towardZero) ?? (parameter > 0 ? .max : 0))
                guard k >= 1 else { continue }
                let sorted = groups.members[number].map { samples[$0] }.sorted { a, b in
                    aggregation.op == .topk ? Self.greater(a.value, b.value) : Self.greater(b.value, a.value)
                }
                output += sorted.prefix(k).map { Sample(labels: $0.labels, value: $0.value, timestamp: time) }
            case .quantile:
                output.append(Sample(labels: groupKey, value: Self.quantile(parameter, values), timestamp: time))
            case .countValues:
                output.append(Sample(labels: groupKey, value: Double(values.count), timestamp: time))
            default:
                output.append(Sample(labels: groupKey, value: Self.aggregate(aggregation.op, values), timestamp: time))
            }
        }
        return .vector(output)
    }

    /// Ordering for topk: NaN sorts below every number.
    static func greater(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN { return false }
        if b.isNaN { return true }
        return a > b
    }

    static func aggregate(_ op: AggregationOperator, _ values: [Double]) -> Double {
        guard var value = values.first else { return .nan }
        var count = 1.0
        var mean = value
        if op == .stddev || op == .stdvar { value = 0 }
        for v in values.dropFirst() {
            count += 1
            switch op {
            case .sum: value += v
            case .avg:
                if mean.isInfinite {
                    if v.isInfinite, (mean > 0) == (v > 0) { continue }
                    if !v.isInfinite, !v.isNaN { continue }
                }
                mean += v / count - mean / count
            case .min: if value > v || value.isNaN { value = v }
            case .max: if value < v || value.isNaN { value = v }
            case .stddev, .stdvar:
                let delta = v - mean
                mean += delta / count
                value += delta * (v - mean)
            default: break
            }
        }
        switch op {
        case .avg: return mean
        case .count: return count
        case .group: return 1
        case .stddev: return sqrt(value / count)
        case .stdvar: return value / count
        default: return value
        }
    }

    /// The φ-quantile of `values` with linear interpolation between ranks, as Prometheus computes it.
    static func quantile(_ q: Double, _ values: [Double]) -> Double {
        guard !values.isEmpty, !q.isNaN else { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        let sorted = values.sorted { a, b in a.isNaN ? !b.isNaN : (b.isNaN ? false : a < b) }
        let n = Double(sorted.count)
        let rank = q * (n - 1)
        let lower = max(0, Int(rank.rounded(.down)))
        let upper = min(sorted.count - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[lower] * (1 - weight) + sorted[upper] * weight
    }
}
