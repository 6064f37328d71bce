import EdgewatchEncoding

/// Rows of hub series (per series id, per timestamp, the columns' values) gathered from stored
/// blocks, written back as one block per metric name: the layout the hub keeps once a period is
/// settled, so a query for one metric reads only that metric's bytes.
struct BlockRows {
    let columns: Int
    private var rows: [Int64: [Int64: [Double]]] = [:]

    init(columns: Int) {
        self.columns = columns
    }

    var isEmpty: Bool { rows.isEmpty }

    /// Sets a series' row (a later one at the same timestamp replaces it).
    mutating func set(id: Int64, timestamp: Int64, values: [Double]) {
        rows[id, default: [:]][timestamp] = values
    }

    /// Adds every row of a decoded block whose entries name hub series by position in `ids`, the
    /// timestamps within `[from, to)`; rows with another column count are left out.
    mutating func add(_ block: Block, ids: [Int64], from: Int64, to: Int64) {
        for entry in block.series where entry.id >= 0 && Int(entry.id) < ids.count && entry.values.count == columns {
            var index = 0
            for (row, timestamp) in block.timestamps.enumerated() {
                if let present = entry.present, row < present.count, !present[row] { continue }
                defer { index += 1 }
                guard timestamp >= from, timestamp < to, entry.values.allSatisfy({ index < $0.count }) else { continue }
                set(id: ids[Int(entry.id)], timestamp: timestamp, values: entry.values.map { $0[index] })
            }
        }
    }

    /// One block per name (series without a known name go under ""), series in id order.
    func blocks(names: [Int64: String]) -> [(name: String, ids: [Int64], block: Block)] {
        var byName: [String: [Int64]] = [:]
        for id in rows.keys { byName[names[id] ?? "", default: []].append(id) }
        return byName.sorted { $0.key < $1.key }.map { name, members in
            let ids = members.sorted()
            let times = Set(ids.flatMap { rows[$0].map { Array($0.keys) } ?? [] }).sorted()
            var series: [BlockSeries] = []
            for (position, id) in ids.enumerated() {
                let byTime = rows[id] ?? [:]
                var values = [[Double]](repeating: [], count: columns)
                for time in times {
                    guard let row = byTime[time] else { continue }
                    for column in 0..<columns { values[column].append(row[column]) }
                }
                let present = times.map { byTime[$0] != nil }
                series.append(BlockSeries(id: Int64(position), present: present.allSatisfy { $0 } ? nil : present, values: values))
            }
            return (name, ids, Block(timestamps: times, columns: columns, series: series))
        }
    }
}
