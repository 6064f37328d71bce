import EdgewatchCore
import EdgewatchPromQL

/// One node in `GET /api/v1/nodes`.
struct NodeJSON: Encodable {
    var node: String
    var firstSeen: String
    var lastSeen: String
    var lastSample: String
    /// Seconds between now and the node's newest sample; -1 before its first sample.
    var lagSeconds: Double
    var batches: Int64
    var duplicatesDropped: Int64
    var samples: Int64
    var gaps: Int64
    var clockJumps: Int64
    var downgradedBatches: Int64

    init(_ node: NodeStatus, now: Int64) {
        self.node = node.name
        firstSeen = RFC3339.format(milliseconds: node.firstSeen)
        lastSeen = RFC3339.format(milliseconds: node.lastSeen)
        lastSample = RFC3339.format(milliseconds: node.lastSampleTimestamp)
        lagSeconds = node.lastSampleTimestamp > 0 ? Double(now - node.lastSampleTimestamp) / 1000 : -1
        batches = node.batches
        duplicatesDropped = node.duplicates
        samples = node.samples
        gaps = node.gaps
        clockJumps = node.clockEvents
        downgradedBatches = node.downgradedBatches
    }
}
