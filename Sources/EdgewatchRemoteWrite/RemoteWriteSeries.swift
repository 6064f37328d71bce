import EdgewatchCore

/// One series of a remote_write request: its labels (with `__name__`), its type (sent as
/// metadata) and its samples, oldest first.
public struct RemoteWriteSeries: Sendable, Equatable {
    /// One sample: milliseconds since the Unix epoch and the value.
    public struct Sample: Sendable, Equatable {
        public var timestamp: Int64
        public var value: Double

        public init(_ timestamp: Int64, _ value: Double) {
            self.timestamp = timestamp
            self.value = value
        }

        /// Bit for bit, so that NaN (a stale marker) equals itself.
        public static func == (lhs: Sample, rhs: Sample) -> Bool {
            lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
        }
    }

    public var labels: Labels
    public var type: MetricType
    public var samples: [Sample]

    public init(labels: Labels, type: MetricType = .unknown, samples: [Sample]) {
        self.labels = labels
        self.type = type
        self.samples = samples
    }
}
