/// Where one selector's series' range windows were at the last step of a query (indices into
/// their points), so the next step's search starts there.
struct WindowBounds {
    /// The last step's window end; a step before it starts the search over.
    var end: Int64 = .min
    var lower: [Int]
    var upper: [Int]

    init(count: Int) {
        lower = Array(repeating: 0, count: count)
        upper = Array(repeating: 0, count: count)
    }
}

extension WindowBounds {
    /// Moves series `index`'s window to `[start, end]` of its `points`, searched from where it
    /// was; the window's positions.
    mutating func advance(_ index: Int, _ points: UnsafeBufferPointer<Point>, start: Int64, end: Int64) -> Range<Int> {
        let lower = points.partitionIndex(from: self.lower[index]) { $0.timestamp >= start }
        let upper = points.partitionIndex(from: Swift.max(lower, self.upper[index])) { $0.timestamp > end }
        self.lower[index] = lower
        self.upper[index] = upper
        return lower..<upper
    }
}
