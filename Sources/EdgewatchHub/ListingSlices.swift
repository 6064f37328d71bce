/// The ranges of `max_ts` a listing of label sets reads the blocks of `[start, end]` in, newest
/// first and each twice as long as the one before: a fleet's live series all show in the newest
/// quarter hour, and the listing stops once every wanted series is known, instead of reading each
/// block of the window (200,000 rows for 200 nodes over 6 h). Together the ranges hold every
/// block of the window once: the first reaches past `end`, the last down to `start`.
struct ListingSlices: Sequence, IteratorProtocol {
    /// The first range's length, in milliseconds.
    static let firstLength: Int64 = 15 * 60 * 1000

    private let start: Int64
    /// The newest `max_ts` the next range holds; nil when done.
    private var upper: Int64?
    /// Where the next range's length is counted down from.
    private var lower: Int64?
    private var length: Int64 = Self.firstLength

    init(start: Int64, end: Int64) {
        self.start = start
        upper = start <= end ? .max : nil
        lower = end
    }

    mutating func next() -> ClosedRange<Int64>? {
        guard let top = upper, let bottom = lower else { return nil }
        let (candidate, overflow) = bottom.subtractingReportingOverflow(length)
        let floor = overflow ? start : Swift.max(start, candidate)
        if floor <= start {
            upper = nil
        } else {
            upper = floor - 1
            lower = floor
            length = length.multipliedReportingOverflow(by: 2).overflow ? .max : length * 2
        }
        return floor...top
    }
}
