/// A Prometheus instant selector: `name{label="v",other=~"re"}` or `{__name__=~"node_.*"}`.
public struct Selector: Sendable {
    public var matchers: [LabelMatcher]

    public init(matchers: [LabelMatcher]) {
        self.matchers = matchers
    }

    /// Whether a series (metric name plus labels) is selected.
    public func matches(name: String, labels: Labels) -> Bool {
        matchers.allSatisfy { matcher in
            matcher.matches(matcher.name == "__name__" ? name : labels[matcher.name] ?? "")
        }
    }
}
