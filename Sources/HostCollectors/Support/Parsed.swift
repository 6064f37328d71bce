/// A parser's result: what could be read, and the issues of the lines that could not.
public struct Parsed<Value: Sendable>: Sendable {
    public var value: Value
    public var issues: [ParseIssue]

    public init(_ value: Value, issues: [ParseIssue] = []) {
        self.value = value
        self.issues = issues
    }
}
