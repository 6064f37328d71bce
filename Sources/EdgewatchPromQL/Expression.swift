import EdgewatchCore

/// The type of a PromQL expression's result.
public enum ValueType: String, Sendable {
    case scalar
    case string
    case vector = "instant vector"
    case matrix = "range vector"
}

/// A parsed PromQL expression.
public indirect enum Expression: Sendable {
    case number(Double)
    case string(String)
    case vectorSelector(VectorSelector)
    /// A range selector `selector[range]`; the range is in milliseconds.
    case matrixSelector(VectorSelector, range: Int64)
    /// Unary minus (unary plus is dropped while parsing).
    case negation(Expression)
    case binary(BinaryExpression)
    case aggregation(AggregationExpression)
    case call(FunctionCall)
    case parenthesized(Expression)

    /// The type of value the expression evaluates to.
    public var type: ValueType {
        switch self {
        case .number: return .scalar
        case .string: return .string
        case .vectorSelector: return .vector
        case .matrixSelector: return .matrix
        case .negation(let inner), .parenthesized(let inner): return inner.type
        case .binary(let binary): return binary.lhs.type == .scalar && binary.rhs.type == .scalar ? .scalar : .vector
        case .aggregation: return .vector
        case .call(let call): return call.function.returnType
        }
    }

    /// Every selector in the expression (instant and range), for preloading data.
    public var selectors: [(selector: VectorSelector, range: Int64)] {
        switch self {
        case .number, .string: return []
        case .vectorSelector(let selector): return [(selector, 0)]
        case .matrixSelector(let selector, let range): return [(selector, range)]
        case .negation(let inner), .parenthesized(let inner): return inner.selectors
        case .binary(let binary): return binary.lhs.selectors + binary.rhs.selectors
        case .aggregation(let aggregation): return (aggregation.parameter?.selectors ?? []) + aggregation.expression.selectors
        case .call(let call): return call.arguments.flatMap(\.selectors)
        }
    }
}

/// `name{matchers} offset d`.
public struct VectorSelector: Sendable {
    /// A number unique within one parsed expression, used to cache the selected data.
    public var id: Int
    public var name: String?
    /// All matchers, including `__name__="name"` when a name was written.
    public var matchers: [LabelMatcher]
    /// Offset in milliseconds (negative looks forward).
    public var offset: Int64
}

/// Binary operators in increasing precedence groups.
public enum BinaryOperator: String, Sendable, CaseIterable {
    case or, and, unless
    case equal = "=="
    case notEqual = "!="
    case greater = ">"
    case less = "<"
    case greaterOrEqual = ">="
    case lessOrEqual = "<="
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case modulo = "%"
    case atan2
    case power = "^"

    var precedence: Int {
        switch self {
        case .or: return 1
        case .and, .unless: return 2
        case .equal, .notEqual, .greater, .less, .greaterOrEqual, .lessOrEqual: return 3
        case .add, .subtract: return 4
        case .multiply, .divide, .modulo, .atan2: return 5
        case .power: return 6
        }
    }

    public var isComparison: Bool { precedence == 3 }
    public var isSetOperator: Bool { precedence <= 2 }
}

/// How the two sides of a vector-vector operation are matched.
public struct VectorMatching: Sendable {
    public enum Cardinality: Sendable { case oneToOne, manyToOne, oneToMany, manyToMany }

    public var cardinality: Cardinality
    /// true for `on(...)`, false for `ignoring(...)` (or no modifier).
    public var on: Bool
    public var labels: [String]
    /// Labels copied from the "one" side by `group_left(...)`/`group_right(...)`.
    public var include: [String]
}

public struct BinaryExpression: Sendable {
    public var op: BinaryOperator
    public var lhs: Expression
    public var rhs: Expression
    public var returnBool: Bool
    /// Present when both sides are instant vectors.
    public var matching: VectorMatching?
}

public enum AggregationOperator: String, Sendable, CaseIterable {
    case sum, min, max, avg, count, stddev, stdvar, topk, bottomk, quantile, group
    case countValues = "count_values"

    var parameterType: ValueType? {
        switch self {
        case .topk, .bottomk, .quantile: return .scalar
        case .countValues: return .string
        default: return nil
        }
    }
}

public struct AggregationExpression: Sendable {
    /// Unique within its expression (the evaluator keeps each aggregation's groups across steps).
    public var id: Int
    public var op: AggregationOperator
    public var parameter: Expression?
    public var expression: Expression
    public var grouping: [String]
    public var without: Bool
}

public struct FunctionCall: Sendable {
    public var function: PromFunction
    public var arguments: [Expression]
}
