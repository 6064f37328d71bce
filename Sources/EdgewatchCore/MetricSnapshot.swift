/// The result of one collection: metric families and the wall-clock time they were taken at.
public struct MetricSnapshot: Sendable {
    public var families: [MetricFamily]
    /// Wall-clock time of the collection in milliseconds since the Unix epoch.
    public var timestampMilliseconds: Int64

    public init(families: [MetricFamily], timestampMilliseconds: Int64) {
        self.families = families
        self.timestampMilliseconds = timestampMilliseconds
    }
}
