import EdgewatchCore

/// What the writer holds in memory and has not committed yet, for one tier and time range: the
/// uplink reads it to send the live edge before the next flush, so the hub is fresh while the
/// store still writes to flash only once per flush interval.
public struct PendingView: Sendable {
    /// The newest buffered cycle's timestamp (clock corrections applied); nil when none is buffered.
    public var newestCycle: Int64?
    /// Buffered rows by series id, oldest first: `(timestamp, columns)`.
    public var points: [Int64: [(Int64, [Double])]]
    /// Buffered gaps overlapping the range.
    public var gaps: [GapRecord]
    /// Buffered event occurrences recorded within the range.
    public var events: [EventRecord]
    /// The oldest buffered cycle's timestamp (as `newestCycle`); nil when none is buffered.
    public var oldestCycle: Int64?
    /// The writer's current clock era.
    public var era: Int64 = 0
    /// Whether rows of the current era wait for a clock correction: taken before this boot's first
    /// sync (within the store's wait), or corrected in memory and not yet committed.
    public var holding = false
    /// The newest cycle of the current era whose time is final (nil: none yet).
    public var settledThrough: Int64?

    public init(newestCycle: Int64? = nil, points: [Int64: [(Int64, [Double])]] = [:], gaps: [GapRecord] = [], events: [EventRecord] = []) {
        self.newestCycle = newestCycle
        self.points = points
        self.gaps = gaps
        self.events = events
    }
}
