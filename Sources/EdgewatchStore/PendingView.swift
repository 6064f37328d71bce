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

    public init(newestCycle: Int64? = nil, points: [Int64: [(Int64, [Double])]] = [:], gaps: [GapRecord] = [], events: [EventRecord] = []) {
        self.newestCycle = newestCycle
        self.points = points
        self.gaps = gaps
        self.events = events
    }
}
