import EdgewatchEncoding

/// One series read back: its key and its points in time order.
public struct StoredSeries: Sendable {
    public var key: SeriesKey
    /// (timestamp ms, columns): one column for raw; min, max, sum, count, last for rollups.
    public var points: [(Int64, [Double])]

    public init(key: SeriesKey, points: [(Int64, [Double])]) {
        self.key = key
        self.points = points
    }
}
