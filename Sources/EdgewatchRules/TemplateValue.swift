import EdgewatchPromQL

/// A value inside a rule template: what `$labels`, `$value` and function results can be.
enum TemplateValue: Sendable {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case map([String: String])
    case none

    /// Go's default (`%v`) text of the value.
    var text: String {
        switch self {
        case .string(let value): return value
        case .number(let value): return GoFloat.format(value)
        case .integer(let value): return String(value)
        case .bool(let value): return value ? "true" : "false"
        case .map(let values): return "map[" + values.keys.sorted().map { "\($0):\(values[$0] ?? "")" }.joined(separator: " ") + "]"
        case .none: return "<no value>"
        }
    }

    /// Go template truth: false, 0, "" and empty maps are false.
    var isTrue: Bool {
        switch self {
        case .string(let value): return !value.isEmpty
        case .number(let value): return value != 0
        case .integer(let value): return value != 0
        case .bool(let value): return value
        case .map(let values): return !values.isEmpty
        case .none: return false
        }
    }

    /// The number a value stands for, as Prometheus' template functions convert it.
    func number(for function: String) throws(TemplateError) -> Double {
        switch self {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        case .string(let text):
            guard let value = Double(text) ?? Self.goSpecial(text) else {
                throw TemplateError("error calling \(function): strconv.ParseFloat: parsing \"\(text)\": invalid syntax")
            }
            return value
        default: throw TemplateError("error calling \(function): can't convert \(text) to float")
        }
    }

    private static func goSpecial(_ text: String) -> Double? {
        switch text.lowercased() {
        case "+inf", "inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return nil
        }
    }
}

/// A template that does not parse or cannot be expanded.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
