import EdgewatchEncoding

/// Which stored batch blocks carry a series index (``BlockCodec/seriesIndex(_:stride:)``), the
/// same on every backend: one wider than a stride, so that a query for one metric reaches its few
/// series near their offsets instead of walking every header.
enum BatchSeriesIndex {
    /// Series per index entry: a wanted series is at most this many headers from its entry.
    static let stride = 16

    /// The index of `data`, a batch block of `seriesCount` series numbered by position; nil for a
    /// block too narrow to need one.
    static func index(of data: [UInt8], seriesCount: Int) -> [UInt8]? {
        seriesCount > stride ? BlockCodec.seriesIndex(data, stride: stride) : nil
    }
}
