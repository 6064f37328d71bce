import EdgewatchCore
import EdgewatchEncoding
import EdgewatchRemoteWrite

extension QueuedBlock {
    /// The block's samples as remote_write series: raw samples as they are; a rollup as its last
    /// value under the series' own name, or as `_min`, `_max` and `_avg` series. Nil when the
    /// stored bytes cannot be decoded.
    func remoteWriteSeries(rollups: RemoteWriteTarget.Rollups) -> [RemoteWriteSeries]? {
        var codec = BlockCodec()
        guard let block = try? codec.decode(data) else { return nil }
        var result: [RemoteWriteSeries] = []
        for entry in block.series where entry.id >= 0 && Int(entry.id) < series.count && !series[Int(entry.id)].labels.isEmpty {
            let info = series[Int(entry.id)]
            let rows = Self.rows(entry, timestamps: block.timestamps)
            guard !rows.isEmpty else { continue }
            if tier == .raw || rollups == .last || rows[0].values.count < 5 {
                // Raw: the value; a rollup: its last value (the last column; an imported rollup carries only that).
                let samples = rows.compactMap { row in row.values.last.map { RemoteWriteSeries.Sample(row.timestamp, $0) } }
                result.append(RemoteWriteSeries(labels: info.labels, type: info.type, samples: samples))
                continue
            }
            let name = info.labels["__name__"] ?? ""
            for (suffix, value) in [("_min", { (v: [Double]) in v[0] }), ("_max", { $0[1] }), ("_avg", { $0[3] > 0 ? $0[2] / $0[3] : .nan })] {
                result.append(
                    RemoteWriteSeries(
                        labels: info.labels.adding("__name__", name + suffix),
                        type: .gauge,
                        samples: rows.map { RemoteWriteSeries.Sample($0.timestamp, value($0.values)) }
                    )
                )
            }
        }
        return result
    }

    /// The rows of an entry that have values, each with every column's value (rows missing a
    /// column in damaged data are left out).
    private static func rows(_ entry: BlockSeries, timestamps: [Int64]) -> [(timestamp: Int64, values: [Double])] {
        var result: [(timestamp: Int64, values: [Double])] = []
        var index = 0
        for (row, timestamp) in timestamps.enumerated() {
            if let present = entry.present, row < present.count, !present[row] { continue }
            defer { index += 1 }
            guard entry.values.allSatisfy({ index < $0.count }) else { break }
            result.append((timestamp, entry.values.map { $0[index] }))
        }
        return result
    }
}
