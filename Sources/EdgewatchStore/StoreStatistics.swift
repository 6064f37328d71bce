import EdgewatchEncoding

/// Counters the agent exposes as `edgewatch_store_*` metrics.
public struct StoreStatistics: Sendable, Equatable {
    /// Raw samples committed to disk.
    public var samplesWritten: Int64 = 0
    /// Raw samples dropped with evicted segments.
    public var samplesEvicted: Int64 = 0
    public var segmentsEvicted: Int64 = 0
    public var flushes: Int64 = 0
    public var flushFailures: Int64 = 0
    /// Database plus write-ahead log, bytes.
    public var fileBytes: Int64 = 0
    /// Pages in use (excluding free pages), bytes.
    public var usedBytes: Int64 = 0
    /// Encoded block bytes per tier.
    public var blockBytes: [Tier: Int64] = [:]
    public var gapsRecorded: Int64 = 0
    public var clockJumps: Int64 = 0
    /// Times the oldest events were evicted to keep them within their share of the budget.
    public var eventsEvicted: Int64 = 0
    /// Events not buffered because too many waited for a flush that kept failing.
    public var eventsDropped: Int64 = 0
    /// Values (raw samples and rollup columns) dropped from the buffer while flushes kept failing.
    public var valuesShed: Int64 = 0
    /// Series the writer holds state for (collected within the hour), at the last flush.
    public var seriesInMemory: Int64 = 0

    public init() {}
}
