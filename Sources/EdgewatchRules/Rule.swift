import EdgewatchCore
import EdgewatchPromQL

/// One alerting or recording rule as written in a Prometheus rule file.
public struct Rule: Sendable {
    public enum Kind: Sendable, Equatable {
        case alerting
        case recording
    }

    public var kind: Kind
    /// The alert name or the recorded metric name.
    public var name: String
    public var expressionText: String
    public var expression: Expression
    public var forMilliseconds: Int64 = 0
    public var keepFiringForMilliseconds: Int64 = 0
    /// Label names to template text, in file order.
    public var labels: [(name: String, template: Template)] = []
    public var annotations: [(name: String, template: Template)] = []
    public var line: Int
}

/// A named group of rules evaluated in order at one interval.
public struct RuleGroup: Sendable {
    public var name: String
    /// nil: the global evaluation interval.
    public var intervalMilliseconds: Int64?
    public var limit: Int
    public var rules: [Rule]
    public var file: String
    public var line: Int
}
