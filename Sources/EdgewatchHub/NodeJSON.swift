import EdgewatchCore
import EdgewatchPromQL

/// One node in `GET /api/v1/nodes`.
struct NodeJSON: Encodable {
    var node: String
    var cluster: String
    var health: NodeHealth
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
    /// What the agent reported with its latest batch.
    var backlogWindows: Int64
    var deadLetters: Int64
    var slotSeconds: Double
    /// The node's newest `edgewatch_clock_synchronized` (else `node_timex_sync_status`) of the last
    /// ten minutes; nil when it sent neither.
    var clockSynchronized: Bool?
    /// Alerts the node's rules fire now (its `ALERTS{alertstate="firing"}` of the last five minutes).
    var firingAlerts: Int

    init(_ node: NodeStatus, now: Int64, clockSynchronized: Bool? = nil, firingAlerts: Int = 0) {
        self.node = node.name
        cluster = node.report.cluster
        health = NodeHealth.of(lastSample: node.lastSampleTimestamp, slotMilliseconds: node.report.slotMilliseconds, now: now)
        backlogWindows = node.report.backlogWindows
        deadLetters = node.report.deadLetters
        slotSeconds = Double(node.report.slotMilliseconds) / 1000
        self.clockSynchronized = clockSynchronized
        self.firingAlerts = firingAlerts
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
