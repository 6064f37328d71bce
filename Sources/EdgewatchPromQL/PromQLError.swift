/// A PromQL parse or evaluation error; parse errors carry the 1-based line and column.
public struct PromQLError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: String, Sendable {
        case parse = "parse error"
        case evaluation = "evaluation error"
    }

    public var kind: Kind
    public var line: Int
    public var column: Int
    public var message: String

    public init(parse message: String, line: Int, column: Int) {
        kind = .parse
        self.line = line
        self.column = column
        self.message = message
    }

    public init(evaluation message: String) {
        kind = .evaluation
        line = 0
        column = 0
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(line):\(column): \(kind.rawValue): \(message)" : "\(kind.rawValue): \(message)"
    }
}
