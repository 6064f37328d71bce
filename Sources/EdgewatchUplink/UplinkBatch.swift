import EdgewatchCore
import EdgewatchStore

/// One batch a node sends upstream: the samples of one time window of one stream, with the gaps
/// and events of that window. `(node, stream, sequence)` is the idempotency key: the same window
/// always gets the same key, across retries, restarts and reboots.
public struct UplinkBatch: Sendable, Equatable {
    public struct SeriesInfo: Sendable, Equatable, Hashable {
        public var name: String
        public var labels: Labels
        public var type: MetricType

        public init(name: String, labels: Labels, type: MetricType) {
            self.name = name
            self.labels = labels
            self.type = type
        }
    }

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

    public struct Event: Sendable, Equatable {
        public var timestamp: Int64
        public var kind: String
        public var detail: String

        public init(timestamp: Int64, kind: String, detail: String) {
            self.timestamp = timestamp
            self.kind = kind
            self.detail = detail
        }
    }

    public enum DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        case truncated
        case malformed(String)
        case limit(String)

        public var description: String {
            switch self {
            case .truncated: return "batch is truncated"
            case .malformed(let what): return "batch is malformed: \(what)"
            case .limit(let what): return what
            }
        }
    }

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
    public var series: [SeriesInfo]
    /// Timestamps shared by the series; `block` holds one column (raw) or five (rollups) per series.
    public var block: Block
    public var gaps: [Gap]
    public var events: [Event]

    public init(node: String, stream: String, sequence: Int64, tier: Tier, downgradedFrom: Tier? = nil,
                series: [SeriesInfo], block: Block, gaps: [Gap] = [], events: [Event] = []) {
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
