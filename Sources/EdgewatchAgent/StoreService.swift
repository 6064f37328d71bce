import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchStore
import HostFS
import Logging
import ServiceLifecycle

/// Owns the store's writer: buffers cycles, flushes every `flushInterval`, and at shutdown
/// flushes and closes the store last (it is the first service started, so the last stopped).
/// Runs on a thread of its own, so commits and their fsync never hold the cooperative pool.
public actor StoreService: Service, CustomStringConvertible {
    /// The service lifecycle logs services by description: a name, not a reflected dump of the fields.
    public nonisolated var description: String { "StoreService" }

    private let thread = DatabaseThread()
    private var writer: StoreWriter?
    private let flushInterval: Duration
    private let logger: Logger
    private var lastStatistics = StoreStatistics()
    private var failedFlushes = 0

    public init(configuration: StoreConfiguration, flushInterval: Duration, logger: Logger) throws(StoreError) {
        writer = try StoreWriter(configuration: configuration)
        self.flushInterval = flushInterval
        self.logger = logger
        lastStatistics = writer?.statistics ?? StoreStatistics()
    }

    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.unownedExecutor }

    /// Buffers one cycle (durable at the next flush).
    public func append(cycle: CycleRecord, samples: [(SeriesKey, Double)]) {
        guard let writer else { return }
        do {
            try writer.append(cycle: cycle, samples: samples)
        } catch {
            logger.error("store append failed", metadata: ["error": "\(error)"])
        }
    }

    /// Buffers event occurrences (durable at the next flush, with any meta value set after them).
    public func record(_ events: [EventRecord], now: Int64) {
        writer?.record(events, now: now)
    }

    /// Buffers occurrences and a meta value that goes with them, in one step (one flush commits both).
    public func record(_ events: [EventRecord], metaKey: String, metaValue: String?, now: Int64) {
        guard let writer else { return }
        if !events.isEmpty { writer.record(events, now: now) }
        if let metaValue { writer.setMeta(metaKey, metaValue) }
    }

    /// Records a node-local event about this node (see ``StoreWriter/recordNodeEvent(_:at:message:key:)``).
    public func recordNodeEvent(_ reason: NodeEventReason, at time: Int64, message: String, key: String) {
        writer?.recordNodeEvent(reason, at: time, message: message, key: key)
    }

    /// Buffers captured journal entries with the cursor after them (see ``StoreWriter/recordLogs(_:cursor:)``).
    public func recordLogs(_ records: [LogRecord], cursor: String) -> Bool {
        writer?.recordLogs(records, cursor: cursor) ?? false
    }

    /// Buffers alerts' annotations (see ``StoreWriter/recordAlertAnnotations(_:at:)``).
    public func recordAlertAnnotations(_ changes: [(labels: Labels, annotations: [String: String])], at time: Int64) {
        writer?.recordAlertAnnotations(changes, at: time)
    }

    /// Sets a meta value, committed with the next flush.
    public func setMeta(_ key: String, _ value: String) {
        writer?.setMeta(key, value)
    }

    /// A meta value, committed or buffered.
    public func meta(_ key: String) -> String? { writer?.meta(key) }

    /// The highest stored count per uid of `source`'s events recorded since `since`.
    public func knownCounts(source: EventRecord.Source, since: Int64) throws(StoreError) -> [String: Int64] {
        try writer?.knownCounts(source: source, since: since) ?? [:]
    }

    /// Occurrences recorded since the agent started, by source, type and reason.
    public func eventTotals() -> EventTotals { writer?.eventTotals ?? EventTotals() }

    /// What the next flush will commit of `tier` in `[from, to)` (the uplink's live edge).
    public func pendingView(tier: Tier, from: Int64, to: Int64, era: Int64? = nil) -> PendingView? {
        writer?.pendingView(tier: tier, from: from, to: to, era: era)
    }

    /// The writer's counters as of the last flush.
    public func statistics() -> StoreStatistics { lastStatistics }

    /// Flushes every interval until graceful shutdown, then closes the store. Its thread lives as
    /// long as the process: when a failing service makes the group cancel everything, other
    /// services may still call in after this returns, and a job sent to an ended thread would
    /// never run.
    public func run() async throws {
        let now = LiveHostKernel().wallTime().milliseconds
        writer?.recordNodeEvent(.agentStarted, at: now, message: "edgewatch agent started", key: "\(now)")
        await flushUntilShutdown()
    }

    private func flushUntilShutdown() async {
        let clock = ContinuousClock()
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let interval = flushInterval
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(for: interval) }
            } catch {
                break
            }
            flush()
        }
        // Graceful shutdown: the collection service has stopped (it started after this one).
        closeStore()
    }

    /// Commits buffered data now.
    public func flush() {
        guard let writer else { return }
        let range = writer.pendingCycleRange
        do {
            try writer.flush()
            failedFlushes = 0
            if let range {
                logger.debug("flushed", metadata: ["first_ts": "\(range.first)", "last_ts": "\(range.last)", "cycles": "\(range.count)"])
            }
        } catch {
            failedFlushes += 1
            logger.error(
                "store flush failed; data stays buffered for the next attempt",
                metadata: ["error": "\(error)", "attempts": "\(failedFlushes)"]
            )
        }
        lastStatistics = writer.statistics
    }

    private func closeStore() {
        guard let writer else { return }
        do {
            try writer.close(now: LiveHostKernel().wallTime().milliseconds)
            logger.info("store flushed and closed", metadata: ["path": "\(writer.configuration.path)"])
        } catch {
            logger.error("store close failed", metadata: ["error": "\(error)"])
        }
        lastStatistics = writer.statistics
        self.writer = nil
    }
}
