/// One labelled value of a metric family.
public struct MetricSample: Hashable, Sendable {
    public var labels: Labels
    public var value: Double

    public init(labels: Labels, value: Double) {
        self.labels = labels
        self.value = value
    }
}
