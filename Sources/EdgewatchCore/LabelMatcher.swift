/// One matcher of a Prometheus selector: `name="v"`, `!=`, `=~` or `!~` (regexes are anchored).
public struct LabelMatcher: Sendable {
    public enum Operation: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"
    }

    public var name: String
    public var operation: Operation
    public var value: String
    let regex: PosixRegex?

    /// Builds a matcher; a regex that does not compile throws naming it.
    public init(name: String, operation: Operation, value: String) throws(RegexError) {
        self.name = name
        self.operation = operation
        self.value = value
        switch operation {
        case .matches, .notMatches:
            // The value alone first: anchored in a group of its own, `a)|(b` would close that group.
            _ = try RE2Translation(value)
            regex = try PosixRegex(re2: "^(" + value + ")$")
        case .equal, .notEqual: regex = nil
        }
    }

    /// Whether a label value (empty when the label is absent) satisfies the matcher.
    public func matches(_ candidate: String) -> Bool {
        switch operation {
        case .equal: return candidate == value
        case .notEqual: return candidate != value
        case .matches: return regex?.matches(candidate) ?? false
        case .notMatches: return !(regex?.matches(candidate) ?? false)
        }
    }
}
