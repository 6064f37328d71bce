/// A block of samples as stored: rows (cycle timestamps) × series × value columns.
///
/// Raw blocks have one column (the value); rollup blocks have five (min, max, sum, count, last).
public struct Block: Sendable, Equatable {
    public var timestamps: [Int64]
    public var columns: Int
    public var series: [BlockSeries]

    public init(timestamps: [Int64], columns: Int, series: [BlockSeries]) {
        self.timestamps = timestamps
        self.columns = columns
        self.series = series
    }
}

/// One series' values in a block.
public struct BlockSeries: Sendable, Equatable {
    public var id: Int64
    /// Which rows have a value; nil when every row has one.
    public var present: [Bool]?
    /// Per column, the values of the present rows in row order.
    public var values: [[Double]]

    public init(id: Int64, present: [Bool]?, values: [[Double]]) {
        self.id = id
        self.present = present
        self.values = values
    }

    /// (timestamp, column values) pairs for the rows that have a value.
    public func rows(timestamps: [Int64]) -> [(Int64, [Double])] {
        var result: [(Int64, [Double])] = []
        var valueIndex = 0
        for (row, timestamp) in timestamps.enumerated() where present?[row] ?? true {
            guard valueIndex < (values.first?.count ?? 0) else { break }
            result.append((timestamp, values.map { $0[valueIndex] }))
            valueIndex += 1
        }
        return result
    }
}
