import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

#if canImport(Glibc)
import Glibc
#endif

/// The store's single writer: buffers cycles in memory, commits them in one transaction per
/// flush, keeps rollups incrementally, records gaps and clock events, and holds the database
/// plus WAL within `maxBytes` by evicting whole segments, raw first.
///
/// Not thread-safe: one owner (the agent's store service) calls it.
public final class StoreWriter {
    let database: SQLiteDatabase
    public let configuration: StoreConfiguration
    public internal(set) var statistics = StoreStatistics()

    /// Ids of the series seen recently (see ``sweepVanished(minuteBucket:hourBucket:synchronized:)``); a key not
    /// here is looked up in (or added to) the database.
    var seriesIDs: [SeriesKey: Int64] = [:]
    /// Last cycle's keys and ids in collection order (see `resolveIDs`).
    var lastCycleIDs = CycleOrder<Int64>()
    /// Per series seen recently: its key, when it was last seen, the last raw value (for counter
    /// increases) and the open 1 m and 1 h buckets.
    var seriesState: [Int64: SeriesState] = [:]
    /// Series not collected for a minute or more whose hour bucket is still open: only that bucket
    /// and the last raw value are kept until the hour ends (``sweepVanished(minuteBucket:hourBucket:synchronized:)``).
    var resting: [Int64: RestingSeries] = [:]
    /// The minute bucket of the last sweep for vanished series.
    var lastSweep: Int64?
    /// Series forgotten in memory since the last flush (the flush marks them, so eviction can
    /// delete the ones no block refers to any more).
    var pendingRetired: [Int64] = []
    var pending: [Tier: PendingTier] = [.raw: PendingTier(), .minute: PendingTier(), .hour: PendingTier()]
    var pendingCycles: [PendingCycle] = []
    /// The last flush failed: the buffer is held to `maxPendingValues` until one succeeds.
    var flushFailing = false
    var pendingGaps: [GapRecord] = []
    var pendingEvents: [EventRecord] = []
    var pendingMeta: [String: String] = [:]
    var pendingLogs: [LogRecord] = []
    var pendingAnnotations: [(labels: Labels, annotations: [String: String], time: Int64)] = []
    /// Estimated bytes of the captured journal entries (see ``StoreWriter/recordLogs(_:cursor:)``).
    var logBytes: Int64 = 0
    /// `(uid, count)` of the buffered events.
    var pendingKeys: Set<EventKey> = []
    /// Estimated bytes of the stored events (``enforceEventShare()``), and what the running flush adds.
    var eventBytes: Int64 = 0
    var committedEventBytes: Int64 = 0
    /// Occurrences recorded since open (`edgewatch_events_total`).
    public internal(set) var eventTotals = EventTotals(
        zeroFor: NodeEventReason.allCases.filter { $0.type == "Warning" }.map { EventTotals.Key(source: .node, type: $0.type, reason: $0.rawValue) }
    )
    var pendingCorrections: [(bootSequence: Int64, offset: Int64)] = []
    var openSegments: [Tier: OpenSegment] = [:]
    var bootSequence: Int64 = 0
    var bootID = ""
    var epoch = 0
    /// The clock era: it advances whenever time goes back to or before the newest cycle of the
    /// current era, so rows of one era never overlap in time (the uplink keys batches by era).
    var era: Int64 = 0
    /// The newest cycle timestamp (as taken) of the current era.
    var eraNewest: Int64?
    /// The newest cycle of the current era whose time is final (neither held nor awaiting a
    /// correction); the uplink treats nothing newer in the era as complete while the store holds.
    var settledNewest: Int64?
    /// Whether the agent stopped cleanly after the last stored cycle (read at open).
    var previousBootStoppedCleanly = false
    static let cleanStopKey = "clean_stop_boot_id"
    /// Whether this boot's first clock synchronization was recorded (one `ClockSynchronized` per boot).
    var clockSynchronizedThisBoot = false
    var lastCycle: CycleRecord?
    let pageSize: Int64
    /// Pages the byte budget allows (database file, WAL reserve excluded).
    let maxPages: Int64
    /// Pages allowed now: the budget, or less when the filesystem has less room.
    var capPages: Int64
    /// Free bytes on the store's filesystem at the last check.
    var availableBytes: Int64 = .max

    /// The state of the segment a tier is appending to.
    struct OpenSegment {
        var key: SegmentKey
        var id: Int64
        var codec: BlockCodec
        var nextSequence: Int64
        /// Rows encoded since the codec last restarted.
        var rowsSinceRestart = 0
    }

    /// Rows after which a segment's codec starts afresh (absolute timestamps, raw first values):
    /// a reader then decodes at most this many rows before the range it wants. Costs about
    /// 8 bytes per series per restart: ≈ 0.07 bytes per raw sample.
    static let restartRows = 120

    /// Opens or creates the store at `configuration.path`.
    public init(configuration: StoreConfiguration) throws(StoreError) {
        guard configuration.maxBytes >= StoreConfiguration.minimumBytes else {
            throw StoreError.configuration("store.max_bytes must be at least \(StoreConfiguration.minimumBytes) bytes, got \(configuration.maxBytes)")
        }
        self.configuration = configuration
        do {
            database = try SQLiteDatabase(path: configuration.path)
            // Small pages: a flush rewrites a few shared pages (segment row, cycles leaf, header)
            // besides its new block pages, and the last page of each block is half empty on
            // average; 512-byte pages keep both small (write amplification 2.8 against 3.3 at 1 KiB
            // and ~15 at 4 KiB in the store benchmark).
            try database.execute("PRAGMA page_size=512")
            // Incremental auto-vacuum lets evictions give pages back to a full filesystem.
            try database.execute("PRAGMA auto_vacuum=INCREMENTAL")
            // Checkpoints by size, for the byte budget (StoreWriter+Budget).
            try database.useWriteAheadLog(checkpointing: .manual)
            try database.execute(StoreSchema.create)
            pageSize = try database.integer("PRAGMA page_size")
            maxPages = max((configuration.maxBytes - configuration.walReserveBytes) / pageSize, 16)
            capPages = maxPages
            try database.execute("PRAGMA max_page_count=\(maxPages)")
        } catch {
            throw StoreError.database(error)
        }
        try StoreSchema.migrate(database)
        do {
            try loadState()
            try loadEventBytes()
            try loadLogBytes()
        } catch {
            throw StoreError.database(error)
        }
        refreshSizes()
    }

    /// Loads the last recorded cycle, so a restart continues gap accounting. Series ids are read
    /// when a series is first collected (``registerSeries(_:)``), not all at once: the table keeps
    /// every series the stored blocks refer to, most of them gone from the node.
    private func loadState() throws(SQLiteError) {
        let last = try database.statement(
            """
            SELECT c.last_ts, b.boot_id, c.last_monotonic_ns, c.synced, c.boot_seq FROM cycles c JOIN boots b ON b.seq = c.boot_seq
            ORDER BY c.id DESC LIMIT 1
            """
        )
        defer { last.reset() }
        if try last.step() {
            lastCycle = CycleRecord(
                timestamp: last.int64(0),
                bootID: last.string(1),
                monotonicNanoseconds: last.int64(2),
                synchronized: last.int64(3) != 0
            )
            bootSequence = last.int64(4)
            bootID = last.string(1)
        }
        try loadClockState()
        if !configuration.nodeName.isEmpty, meta("node_name") != configuration.nodeName { setMeta("node_name", configuration.nodeName) }
        for (key, value) in configuration.metadata.sorted(by: { $0.key < $1.key }) where meta(key) != value { setMeta(key, value) }
        previousBootStoppedCleanly = meta(Self.cleanStopKey) == bootID && !bootID.isEmpty
        if previousBootStoppedCleanly { setMeta(Self.cleanStopKey, "") }
    }

    /// Closes the store: writes open rollup buckets, flushes, checkpoints. Call last at shutdown.
    /// A clean stop is recorded, so the next boot's `NodeRebooted` can tell it from a power cut.
    public func close(now: Int64? = nil) throws(StoreError) {
        if let now {
            recordNodeEvent(.agentStopped, at: now, message: "edgewatch agent stopped", key: "\(bootID)/\(now)")
            setMeta(Self.cleanStopKey, bootID)
        }
        closeBuckets()
        retireAllSeries()
        try flush()
        database.checkpoint()
        database.close()
    }

    /// Adds one collection cycle's samples to the in-memory head (persisted at the next flush).
    public func append(cycle: CycleRecord, samples: [(SeriesKey, Double)]) throws(StoreError) {
        try observeClock(cycle)
        let ids = try resolveIDs(samples)
        let timestamp = cycle.timestamp
        let rawKey = segmentKey(.raw, timestamp, synchronized: cycle.synchronized)
        let minuteBucket = Self.bucket(timestamp, .minute)
        let hourBucket = Self.bucket(timestamp, .hour)
        for (index, (key, value)) in samples.enumerated() {
            let id = ids[index]
            pending[.raw, default: PendingTier()].add(timestamp: timestamp, seriesID: id, value: value, key: rawKey)
            var state = seriesState[id] ?? revivedState(id, key: key)
            state.lastSeen = timestamp
            let increase: Double? = key.type == .counter ? state.lastRaw.map { value >= $0 ? value - $0 : value } ?? 0 : nil
            if !value.isNaN { state.lastRaw = value }
            roll(&state.minute, tier: .minute, bucket: minuteBucket, id: id, value: value, increase: increase, synchronized: cycle.synchronized)
            roll(&state.hour, tier: .hour, bucket: hourBucket, id: id, value: value, increase: increase, synchronized: cycle.synchronized)
            seriesState[id] = state
        }
        if lastSweep != minuteBucket {
            if lastSweep != nil { sweepVanished(minuteBucket: minuteBucket, hourBucket: hourBucket, synchronized: cycle.synchronized) }
            lastSweep = minuteBucket
        }
        pendingCycles.append(PendingCycle(cycle: cycle, bootSequence: bootSequence, era: era))
        if !isHeld(cycle), pendingCorrections.isEmpty { settledNewest = cycle.timestamp }
        lastCycle = cycle
        shedIfOverLimit()
    }

    /// Adds a value to a series' open bucket, first moving a finished bucket to the pending rows.
    private func roll(
        _ accumulator: inout RollupAccumulator?,
        tier: Tier,
        bucket: Int64,
        id: Int64,
        value: Double,
        increase: Double?,
        synchronized: Bool
    ) {
        closeBucket(&accumulator, tier: tier, unless: bucket, id: id, synchronized: synchronized)
        var current = accumulator ?? RollupAccumulator(bucket: bucket)
        current.add(value, increase: increase)
        accumulator = current
    }

    static func bucket(_ timestamp: Int64, _ tier: Tier) -> Int64 {
        let width = tier.bucketMilliseconds
        return timestamp - ((timestamp % width) + width) % width
    }

    /// The segment rows of `tier` at `timestamp` belong to; `synchronized` is the clock state the
    /// rows were taken under (pre-sync segments are shifted when the clock syncs).
    func segmentKey(_ tier: Tier, _ timestamp: Int64, synchronized: Bool) -> SegmentKey {
        let span = tier.segmentSpanMilliseconds
        return SegmentKey(
            span: timestamp >= 0 ? timestamp / span : (timestamp - span + 1) / span,
            bootSequence: bootSequence,
            epoch: epoch,
            era: era,
            synchronized: synchronized
        )
    }

    /// Moves every open rollup bucket to the pending rows (at shutdown and clock jumps).
    func closeBuckets() {
        let synchronized = lastCycle?.synchronized ?? false
        for id in seriesState.keys.sorted() {
            guard var state = seriesState[id] else { continue }
            closeBucket(&state.minute, tier: .minute, unless: nil, id: id, synchronized: synchronized)
            closeBucket(&state.hour, tier: .hour, unless: nil, id: id, synchronized: synchronized)
            state.lastSeen = .min  // after a step back, the next sweep must not wait for the old time
            seriesState[id] = state
        }
        for (id, series) in resting.sorted(by: { $0.key < $1.key }) {
            var hour: RollupAccumulator? = series.hour
            closeBucket(&hour, tier: .hour, unless: nil, id: id, synchronized: synchronized)
            pendingRetired.append(id)
        }
        resting = [:]
    }
}

/// An occurrence's identity.
struct EventKey: Hashable {
    var uid: String
    var count: Int64
}

/// What the writer keeps per series between cycles.
struct SeriesState: Sendable {
    var key: SeriesKey
    /// The timestamp of its newest sample.
    var lastSeen: Int64 = .min
    var lastRaw: Double?
    var minute: RollupAccumulator?
    var hour: RollupAccumulator?
}

/// What stays of a series gone for a minute until its hour bucket ends.
struct RestingSeries: Sendable {
    var hour: RollupAccumulator
    var lastRaw: Double?
}

extension MetricType {
    var storedValue: Int64 { Int64(code) }

    /// The type stored as `value`; a code this version does not know reads as unknown.
    static func stored(_ value: Int64) -> MetricType {
        UInt8(exactly: value).flatMap(MetricType.init(code:)) ?? .unknown
    }
}
