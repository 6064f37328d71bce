import EdgewatchCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Evaluator {
    mutating func evaluateBinary(_ binary: BinaryExpression) throws(PromQLError) -> QueryValue {
        let lhs = try evaluate(binary.lhs)
        let rhs = try evaluate(binary.rhs)
        switch (lhs, rhs) {
        case (.scalar(let l), .scalar(let r)):
            let (value, keep) = Self.apply(binary.op, l, r)
            return .scalar(binary.op.isComparison ? (keep ? 1 : 0) : value)
        case (.vector(let samples), .scalar(let r)):
            return .vector(try vectorScalar(binary, samples, r, swapped: false))
        case (.scalar(let l), .vector(let samples)):
            return .vector(try vectorScalar(binary, samples, l, swapped: true))
        case (.vector(let l), .vector(let r)):
            guard let matching = binary.matching else { throw PromQLError(evaluation: "vector matching missing") }
            switch binary.op {
            case .and: return .vector(Self.and(l, r, matching))
            case .or: return .vector(Self.or(l, r, matching))
            case .unless: return .vector(Self.unless(l, r, matching))
            default: return .vector(try vectorVector(binary, l, r, matching))
            }
        default:
            throw PromQLError(evaluation: "binary operator \(binary.op.rawValue) needs scalars or instant vectors")
        }
    }

    /// The operation on two floats: the arithmetic result, or for comparisons the left value and whether it holds.
    static func apply(_ op: BinaryOperator, _ l: Double, _ r: Double) -> (Double, Bool) {
        switch op {
        case .add: return (l + r, true)
        case .subtract: return (l - r, true)
        case .multiply: return (l * r, true)
        case .divide: return (l / r, true)
        case .modulo: return (fmod(l, r), true)
        case .power: return (pow(l, r), true)
        case .atan2: return (GoMath.atan2(l, r), true)
        case .equal: return (l, l == r)
        case .notEqual: return (l, l != r)
        case .greater: return (l, l > r)
        case .less: return (l, l < r)
        case .greaterOrEqual: return (l, l >= r)
        case .lessOrEqual: return (l, l <= r)
        case .and, .or, .unless: return (l, true)
        }
    }

    /// Arithmetic drops the metric name (Prometheus 2.x keeps it for atan2).
    static func dropsName(_ op: BinaryOperator) -> Bool {
        switch op {
        case .add, .subtract, .multiply, .divide, .modulo, .power: return true
        default: return false
        }
    }

    func vectorScalar(_ binary: BinaryExpression, _ samples: [Sample], _ scalar: Double, swapped: Bool) throws(PromQLError) -> [Sample] {
        var output: [Sample] = []
        for sample in samples {
            let (l, r) = swapped ? (scalar, sample.value) : (sample.value, scalar)
            var (value, keep) = Self.apply(binary.op, l, r)
            if binary.op.isComparison, swapped { value = r }
            if binary.returnBool {
                value = keep ? 1 : 0
                keep = true
            }
            guard keep else { continue }
            let labels = Self.dropsName(binary.op) || binary.returnBool ? sample.labels.droppingName() : sample.labels
            output.append(Sample(labels: labels, value: value, timestamp: time))
        }
        try Self.checkUniqueLabels(output)
        return output
    }

    static func signature(_ labels: Labels, _ matching: VectorMatching) -> Labels {
        matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels + ["__name__"])
    }

    func vectorVector(_ binary: BinaryExpression, _ lhs: [Sample], _ rhs: [Sample], _ matching: VectorMatching) throws(PromQLError) -> [Sample] {
        guard !lhs.isEmpty, !rhs.isEmpty else { return [] }
        let oneToMany = matching.cardinality == .oneToMany
        let (many, one) = oneToMany ? (rhs, lhs) : (lhs, rhs)
        var oneSide: [Labels: Sample] = [:]
        for sample in one {
            let key = Self.signature(sample.labels, matching)
            if let duplicate = oneSide[key] {
                throw PromQLError(
                    evaluation:
                        "found duplicate series for the match group \(key.promQLDescription) on the \(oneToMany ? "left" : "right") hand-side of the operation: [\(sample.labels.promQLDescription), \(duplicate.labels.promQLDescription)];many-to-many matching not allowed: matching labels must be unique on one side"
                )
            }
            oneSide[key] = sample
        }
        var matched: [Labels: Set<Labels>] = [:]
        var output: [Sample] = []
        for sample in many {
            let key = Self.signature(sample.labels, matching)
            guard let other = oneSide[key] else { continue }
            let (l, r) = oneToMany ? (other.value, sample.value) : (sample.value, other.value)
            var (value, keep) = Self.apply(binary.op, l, r)
            if binary.returnBool {
                value = keep ? 1 : 0
            } else if !keep {
                continue
            }
            var labels = resultLabels(sample.labels, other.labels, binary.op, matching)
            if binary.returnBool { labels = labels.droppingName() }
            if matching.cardinality == .oneToOne {
                if matched[key] != nil {
                    throw PromQLError(evaluation: "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
                }
                matched[key] = []
            } else {
                if matched[key]?.contains(labels) == true {
                    throw PromQLError(evaluation: "multiple matches for labels: grouping labels must ensure unique matches")
                }
                matched[key, default: []].insert(labels)
            }
            output.append(Sample(labels: labels, value: value, timestamp: time))
        }
        try Self.checkUniqueLabels(output)
        return output
    }

    func resultLabels(_ many: Labels, _ one: Labels, _ op: BinaryOperator, _ matching: VectorMatching) -> Labels {
        var labels = Self.dropsName(op) ? many.droppingName() : many
        if matching.cardinality == .oneToOne {
            labels = matching.on ? labels.keeping(matching.labels) : labels.removing(matching.labels)
        }
        for name in matching.include {
            labels = labels.setting(name, one[name] ?? "")
        }
        return labels
    }

    static func and(_ lhs: [Sample], _ rhs: [Sample], _ matching: VectorMatching) -> [Sample] {
        guard !lhs.isEmpty, !rhs.isEmpty else { return [] }
        let right = Set(rhs.map { signature($0.labels, matching) })
        return lhs.filter { right.contains(signature($0.labels, matching)) }
    }

    static func or(_ lhs: [Sample], _ rhs: [Sample], _ matching: VectorMatching) -> [Sample] {
        let left = Set(lhs.map { signature($0.labels, matching) })
        return lhs + rhs.filter { !left.contains(signature($0.labels, matching)) }
    }

    static func unless(_ lhs: [Sample], _ rhs: [Sample], _ matching: VectorMatching) -> [Sample] {
        let right = Set(rhs.map { signature($0.labels, matching) })
        return lhs.filter { !right.contains(signature($0.labels, matching)) }
    }
}
