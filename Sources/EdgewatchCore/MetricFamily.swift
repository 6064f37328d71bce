/// All samples sharing one metric name, with its help text and type.
///
/// `name` is the sample name as exposed by node_exporter (for counters it ends in `_total`).
public struct MetricFamily: Hashable, Sendable {
    public var name: String
    public var help: String
    public var type: MetricType
    public var samples: [MetricSample]

    public init(name: String, help: String, type: MetricType, samples: [MetricSample] = []) {
        self.name = name
        self.help = help
        self.type = type
        self.samples = samples
    }
}
