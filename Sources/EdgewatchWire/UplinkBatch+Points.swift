import EdgewatchCore
import EdgewatchEncoding

extension UplinkBatch {
    /// A batch from each series' points (time-ordered; one value per column): the union of the
    /// timestamps becomes the block's rows, a series missing at some rows gets a presence map.
    /// The uplink builds windows from the store this way, and the hub builds them from a bundle.
    public init(
        node: String,
        stream: String,
        sequence: Int64,
        tier: Tier,
        downgradedFrom: Tier? = nil,
        points: [(key: SeriesKey, points: [(Int64, [Double])])],
        columns: Int,
        gaps: [Gap] = [],
        events: [EventRecord] = []
    ) {
        let timestamps = Set(points.flatMap { $0.points.map(\.0) }).sorted()
        var row: [Int64: Int] = [:]
        for (index, timestamp) in timestamps.enumerated() { row[timestamp] = index }
        var infos: [SeriesKey] = []
        var blockSeries: [BlockSeries] = []
        for (key, list) in points where !list.isEmpty {
            var present = [Bool](repeating: false, count: timestamps.count)
            var values = [[Double]](repeating: [], count: columns)
            for (timestamp, columnValues) in list {
                guard let index = row[timestamp], !present[index] else { continue }
                present[index] = true
                for column in 0..<columns { values[column].append(column < columnValues.count ? columnValues[column] : .nan) }
            }
            blockSeries.append(BlockSeries(id: Int64(infos.count), present: present.allSatisfy { $0 } ? nil : present, values: values))
            infos.append(key)
        }
        self.init(
            node: node,
            stream: stream,
            sequence: sequence,
            tier: tier,
            downgradedFrom: downgradedFrom,
            series: infos,
            block: Block(timestamps: timestamps, columns: columns, series: blockSeries),
            gaps: gaps,
            events: events
        )
    }
}
