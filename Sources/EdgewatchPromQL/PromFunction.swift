/// A PromQL function: its name, argument types and result type.
public struct PromFunction: Sendable {
    public var name: String
    public var argumentTypes: [ValueType]
    /// Arguments that may be left out at the end (-1: the last type repeats without limit).
    public var optionalCount: Int
    public var returnType: ValueType

    /// The functions edgewatch evaluates, by name.
    public static let all: [String: PromFunction] = {
        var table: [String: PromFunction] = [:]
        func add(_ name: String, _ arguments: [ValueType], optional: Int = 0, returns: ValueType = .vector) {
            table[name] = PromFunction(name: name, argumentTypes: arguments, optionalCount: optional, returnType: returns)
        }
        for name in [
            "rate", "irate", "increase", "delta", "idelta", "deriv", "changes", "resets",
            "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
            "last_over_time", "stddev_over_time", "stdvar_over_time", "present_over_time", "absent_over_time",
        ] {
            add(name, [.matrix])
        }
        add("predict_linear", [.matrix, .scalar])
        add("quantile_over_time", [.scalar, .matrix])
        for name in ["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "absent", "sort", "sort_desc"] {
            add(name, [.vector])
        }
        for name in ["timestamp"] { add(name, [.vector]) }
        for name in ["minute", "hour", "day_of_week", "day_of_month", "day_of_year", "days_in_month", "month", "year"] {
            add(name, [.vector], optional: 1)
        }
        add("round", [.vector, .scalar], optional: 1)
        add("clamp", [.vector, .scalar, .scalar])
        add("clamp_min", [.vector, .scalar])
        add("clamp_max", [.vector, .scalar])
        add("label_replace", [.vector, .string, .string, .string, .string])
        add("label_join", [.vector, .string, .string, .string], optional: -1)
        add("histogram_quantile", [.scalar, .vector])
        add("scalar", [.vector], returns: .scalar)
        add("vector", [.scalar])
        add("time", [], returns: .scalar)
        add("pi", [], returns: .scalar)
        return table
    }()
}
