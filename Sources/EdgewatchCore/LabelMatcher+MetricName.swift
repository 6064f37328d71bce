extension Sequence<LabelMatcher> {
    /// The metric name one of the matchers selects exactly (`__name__="…"`); nil when none does.
    public var metricName: String? {
        first { $0.name == "__name__" && $0.operation == .equal }?.value
    }
}
