/// The result of one collection: metric families and the wall-clock time they were taken at.
public struct MetricSnapshot: Sendable {
    public var families: [MetricFamily]
    /// Wall-clock time of the collection in milliseconds since the Unix epoch.
    public var timestampMilliseconds: Int64
    /// Whether the kernel's clock was synchronized when that time was read (nil: not known).
    public var clockSynchronized: Bool?

    public init(families: [MetricFamily], timestampMilliseconds: Int64, clockSynchronized: Bool? = nil) {
        self.families = families
        self.timestampMilliseconds = timestampMilliseconds
        self.clockSynchronized = clockSynchronized
    }
}
