import EdgewatchCore
import EdgewatchPromQL
import EdgewatchWire

/// What a node looks like from the hub.
public struct NodeStatus: Sendable {
    public var name: String
    public var firstSeen: Int64
    public var lastSeen: Int64
    /// Newest sample timestamp received from the node.
    public var lastSampleTimestamp: Int64
    public var batches: Int64
    public var duplicates: Int64
    public var samples: Int64
    public var gaps: Int64
    public var clockEvents: Int64
    public var downgradedBatches: Int64
    /// What the node said of itself with its latest batch.
    public var report = NodeReport()
}

/// The hub's storage, behind a small protocol so a PostgreSQL backend can follow the embedded
/// SQLite one. Reads serve the Prometheus HTTP API through ``SeriesSource``.
public protocol HubStorage: SeriesSource, Sendable {
    /// The stored hash of a node's secret, nil for an unknown node.
    func nodeSecretHash(_ node: String) throws -> String?
    /// Records a new node with the hash of its secret (first join).
    func registerNode(_ node: String, secretHash: String, at time: Int64) throws
    /// Commits a batch durably. Returns false, storing nothing, when `(node, stream, sequence)` was
    /// stored before, or, when `exclusive`, when any batch of the same family (`metrics/1m/`) with
    /// another width overlaps its span (an import's whole window over slots the uplink sent alone).
    func ingest(_ batch: UplinkBatch, receivedAt time: Int64, exclusive: Bool) throws -> Bool
    func nodes() throws -> [NodeStatus]
    /// Keeps what a known node said of itself with its latest batch.
    func report(_ report: NodeReport, node: String) throws
    /// The inline form of a series table `node` sent earlier, by its SHA-256; nil when not kept.
    func seriesTable(node: String, hash: [UInt8]) throws -> [UInt8]?
    /// How many series `node`'s table `hash` holds when a batch naming it can be ingested with its
    /// series unresolved (the backend maps the table to its own ids itself); nil: resolve it first.
    func resolvableSeriesCount(node: String, hash: [UInt8]) -> Int?
    /// Keeps a node's series table (inline form) so its next batches can name it by hash.
    func keepSeriesTable(node: String, hash: [UInt8], table: [UInt8], at time: Int64) throws
    /// Stored events matching `filter`, oldest first (by last-seen time), at most `limit`.
    func events(matching filter: HubEventFilter, limit: Int) throws -> [EventRecord]
    /// Label sets (with `__name__`) of the series matching every matcher with a sample in
    /// `[start, end]`, in no order; blocks wholly inside the window are not decoded for it.
    func labelSets(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Labels]
    /// The nodes with a block in `[start, end]` (``NodePresence``): true where one lies wholly
    /// inside it past its tier's retention mark, so the node has a point there; false where
    /// blocks only reach past the window's edges into it.
    func nodesWithBlocks(start: Int64, end: Int64) throws -> [String: Bool]
    /// The metric names with a point in `[start, end]`: the values of `__name__` over every series.
    func metricNamesWithPoints(start: Int64, end: Int64) throws -> [String]
    /// Label names (`label` nil) or the values of `label` over every series with a point in
    /// `[start, end]`, from the ``SeriesPresence`` summary; nil when it does not cover the window.
    func labelValuesFromSummary(_ label: String?, start: Int64, end: Int64) throws -> [String]?
    /// Makes `targets` the remote_write targets whose queues ingest fills from now on; a target no
    /// longer named loses its queue and refusals.
    func setRemoteWriteTargets(_ targets: [String]) throws
    /// Whether this process sends for `target` now. One process at a time does: with PostgreSQL,
    /// the replica holding the target's advisory lock; asked again before each request.
    func claimRemoteWrite(target: String) throws -> Bool
    /// The oldest blocks in `target`'s queue, at most `limit`.
    func remoteWriteQueue(target: String, limit: Int) throws -> [QueuedBlock]
    /// Takes blocks the target accepted out of its queue and, in the same transaction, raises the
    /// newest time the target holds per series (by ``Labels/fingerprint``) to `highWater`'s.
    func remoteWriteSent(target: String, blocks: [Int64], highWater: [UInt64: Int64]) throws
    /// Drops `target`'s times of the series whose newest is older than `before`
    /// (``RemoteWriteHighWater/forget(now:)``), in bounded steps.
    func remoteWriteForget(target: String, before: Int64) throws
    /// The newest time `target` holds per series, by ``Labels/fingerprint``, as sends recorded it.
    func remoteWriteHighWater(target: String) throws -> [UInt64: Int64]
    /// Moves blocks the target refused (a 4xx) from its queue to its refusals, with the answer.
    func remoteWriteRefused(target: String, blocks: [Int64], status: Int, reason: String, at time: Int64) throws
    /// Queued and refused blocks per target.
    func remoteWriteCounts() throws -> [String: RemoteWriteQueueCounts]
    /// One retention pass at `now`: at most `budget` steps (a node's period each, one transaction).
    func retain(policy: RetentionPolicy, now: Int64, budget: Int) throws -> RetentionReport
    /// One compaction pass at `now`: settled periods of batch blocks rewritten as one block per
    /// metric name, at most `budget` steps (a node's period each, one transaction).
    func compact(now: Int64, budget: Int) throws -> RetentionReport
    /// Stored blocks that could not be decoded when a query read them (skipped, so the query
    /// answers with what is readable); counted since start.
    var undecodableBlocks: Int64 { get }
    /// Series held in memory: ids for ingest and label sets for queries, those used lately.
    var cachedSeries: (ingest: Int, query: Int) { get }
    /// Batch blocks' listings, decoded series and nodes' gathered series held for queries
    /// (PostgreSQL, ``BatchBlockCache``; SQLite holds only the decoded series, ``SQLiteBlockPoints``).
    var cachedBatchBlocks: (listings: Int, series: Int, nodes: Int) { get }
    /// Why this hub stores nothing now (a newer edgewatch replica migrated the shared database),
    /// or nil while it stores.
    var writesRefused: String? { get }
}

extension HubStorage {
    /// Batches are resolved before ingest unless a backend says otherwise.
    public func resolvableSeriesCount(node: String, hash: [UInt8]) -> Int? { nil }

    /// A backend no other process migrates always stores.
    public var writesRefused: String? { nil }

    /// A backend reading its blocks locally keeps none of them.
    public var cachedBatchBlocks: (listings: Int, series: Int, nodes: Int) { (0, 0, 0) }

    /// Takes blocks the target accepted out of its queue, with no times to record.
    public func remoteWriteSent(target: String, blocks: [Int64]) throws {
        try remoteWriteSent(target: target, blocks: blocks, highWater: [:])
    }

    /// Label sets of the series any selector matches (``labelSets(_:start:end:)``), sorted.
    public func series(matching selectors: [[LabelMatcher]], start: Int64, end: Int64) throws -> [Labels] {
        try distinctSeries(matching: selectors, start: start, end: end).sorted()
    }

    /// The same, unordered: label names and values are sorted themselves (sorting a fleet's
    /// label sets first had been a tenth of such a request).
    public func distinctSeries(matching selectors: [[LabelMatcher]], start: Int64, end: Int64) throws -> Set<Labels> {
        var result = Set<Labels>()
        for matchers in selectors { result.formUnion(try labelSets(matchers, start: start, end: end)) }
        return result
    }

    /// The nodes with a point in `[start, end]`: the values of `node` over every series there
    /// (the hub names each series' node itself), from the presence summary where it covers the
    /// window, else known from a few index probes per node; label sets are read only for nodes
    /// whose blocks merely reach into the window.
    public func nodesWithPoints(start: Int64, end: Int64) throws -> [String] {
        // The summary's rows name their nodes: no probe per node (2000 nodes' took 175 ms on PostgreSQL).
        if let nodes = try labelValuesFromSummary("node", start: start, end: end) { return nodes }
        let blocks = try nodesWithBlocks(start: start, end: end)
        let unsure = blocks.filter { !$0.value }.map(\.key)
        let nodes = blocks.filter(\.value).map(\.key)
        guard unsure.count <= Self.checkedOneByOne else { return try valuesOverEverySeries("node", start: start, end: end) }
        return nodes + (try confirmed(unsure, of: "node", start: start, end: end))
    }

    /// From the presence summary, else every label set of the window, unless a backend knows a shorter way.
    public func metricNamesWithPoints(start: Int64, end: Int64) throws -> [String] {
        try labelValuesFromSummary("__name__", start: start, end: end) ?? valuesOverEverySeries("__name__", start: start, end: end)
    }

    /// How many nodes or names a shorter way may leave unsure, each then checked by a query of
    /// its own; past it, every label set of the window is read once.
    static var checkedOneByOne: Int { 8 }

    /// Those of `values` that `label` takes in some series with a point in `[start, end]`, each
    /// checked by a query of its own.
    func confirmed(_ values: some Collection<String>, of label: String, start: Int64, end: Int64) throws -> [String] {
        try values.filter { !(try labelSets([LabelMatcher(name: label, operation: .equal, value: $0)], start: start, end: end).isEmpty) }
    }

    /// The values `label` takes over every series with a point in `[start, end]`, from every label
    /// set of the window (as `/api/v1/label/<name>/values` without `match[]` lists them).
    func valuesOverEverySeries(_ label: String, start: Int64, end: Int64) throws -> [String] {
        let every = [[try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]]
        return Array(Set(try distinctSeries(matching: every, start: start, end: end).compactMap { $0[label] }))
    }

    /// Commits a batch unless its key was stored before (see ``ingest(_:receivedAt:exclusive:)``).
    public func ingest(_ batch: UplinkBatch, receivedAt time: Int64) throws -> Bool {
        try ingest(batch, receivedAt: time, exclusive: false)
    }
}
