import EdgewatchCore
import EdgewatchEncoding

/// A stored block waiting in a remote_write target's queue, with what the sender needs to turn it
/// into series.
public struct QueuedBlock: Sendable {
    /// One series of the block.
    public struct Series: Sendable, Equatable {
        /// With `__name__`, `node` and, when the node reported one, `cluster`.
        public var labels: Labels
        public var type: MetricType

        public init(labels: Labels, type: MetricType) {
            self.labels = labels
            self.type = type
        }

        /// From the series table's columns: the name, the encoded labels (with `node`), the type
        /// code; the node's cluster is added unless empty or the series has its own.
        init(name: String, encodedLabels: String, typeCode: Int64, cluster: String) {
            var labels = SeriesKey.decodeLabels(encodedLabels, name: name) ?? ["__name__": name]
            if !cluster.isEmpty, labels["cluster"] == nil { labels = labels.adding("cluster", cluster) }
            self.init(labels: labels, type: MetricType(code: UInt8(clamping: typeCode)) ?? .unknown)
        }
    }

    /// The block's id in the hub's database.
    public var id: Int64
    public var tier: Tier
    /// The block's series, in the order its entries number them.
    public var series: [Series]
    /// The encoded block (``BlockCodec``).
    public var data: [UInt8]

    public init(id: Int64, tier: Tier, series: [Series], data: [UInt8]) {
        self.id = id
        self.tier = tier
        self.series = series
        self.data = data
    }
}

extension QueuedBlock {
    /// A queue's row as a backend reads it: the block, its series ids and its node's cluster.
    typealias Row = (id: Int64, tier: Int64, ids: [Int64], data: [UInt8], cluster: String)
    /// A series table's columns: name, encoded labels, type code.
    typealias Description = (name: String, labels: String, type: Int64)

    /// The blocks of a queue's rows, their series described (an id the table lacks: no labels).
    static func blocks(_ rows: [Row], described: [Int64: Description]) -> [QueuedBlock] {
        rows.map { row in
            QueuedBlock(
                id: row.id,
                tier: Tier(rawValue: Int(row.tier)) ?? .raw,
                series: row.ids.map { id in
                    let info = described[id] ?? ("", "", Int64(MetricType.unknown.code))
                    return Series(name: info.name, encodedLabels: info.labels, typeCode: info.type, cluster: row.cluster)
                },
                data: row.data
            )
        }
    }
}

/// What a remote_write target's queue holds: blocks waiting, and blocks it refused.
public struct RemoteWriteQueueCounts: Sendable, Equatable {
    public var queued: Int64 = 0
    public var refused: Int64 = 0

    public init(queued: Int64 = 0, refused: Int64 = 0) {
        self.queued = queued
        self.refused = refused
    }
}
