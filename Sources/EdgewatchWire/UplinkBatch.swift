import EdgewatchCore
import EdgewatchEncoding

/// One batch a node sends upstream: the samples of one time window of one stream, with the gaps
/// and events of that window. `(node, stream, sequence)` is the idempotency key: the same window
/// always gets the same key, across retries, restarts and reboots.
public struct UplinkBatch: Sendable, Equatable {
    public struct Gap: Sendable, Equatable {
        public var from: Int64
        public var to: Int64
        public var reason: String

        public init(from: Int64, to: Int64, reason: String) {
            self.from = from
            self.to = to
            self.reason = reason
        }
    }

    /// Why bytes are not a batch: truncated, malformed, or over one of the ``Limits``.
    public typealias DecodingError = EdgewatchEncoding.DecodingError

    /// Bounds a decoder enforces (the hub's ingest limits).
    public struct Limits: Sendable {
        public var maxSeries = 100_000
        public var maxSamples = 2_000_000
        public var maxLabelsPerSeries = 64
        public var maxNameLength = 256
        public var maxLabelValueLength = 2048
        public var maxEvents = 10_000

        public init() {}
    }

    public var node: String
    public var stream: String
    public var sequence: Int64
    /// The tier the values come from; a backfill sent coarser than asked names the tier it replaces.
    public var tier: Tier
    public var downgradedFrom: Tier?
    /// The series, indexed by the block's series ids (the store's own series identity).
    public var series: [SeriesKey]
    /// Timestamps shared by the series; `block` holds one column (raw) or five (rollups) per series.
    public var block: Block
    public var gaps: [Gap]
    public var events: [EventRecord]
    /// When set, the batch names its series table by this SHA-256 (``seriesTableHash(_:)``)
    /// instead of carrying it; the receiver fills ``series`` from the table it holds (and may keep
    /// the name beside them, saying where they came from).
    public var seriesReference: [UInt8]?

    public init(
        node: String,
        stream: String,
        sequence: Int64,
        tier: Tier,
        downgradedFrom: Tier? = nil,
        series: [SeriesKey],
        block: Block,
        gaps: [Gap] = [],
        events: [EventRecord] = []
    ) {
        self.node = node
        self.stream = stream
        self.sequence = sequence
        self.tier = tier
        self.downgradedFrom = downgradedFrom
        self.series = series
        self.block = block
        self.gaps = gaps
        self.events = events
    }

    /// Present values in the batch (series × timestamps where present).
    public var sampleCount: Int {
        block.series.reduce(0) { total, series in
            total + (series.present.map { $0.filter { $0 }.count } ?? block.timestamps.count)
        }
    }
}
