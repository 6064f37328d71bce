import EdgewatchBundle
import EdgewatchEncoding
import EdgewatchPromQL
import EdgewatchStore

/// Writes the selected series of the plan's spans as one sample file, each series contiguous and
/// in time order (through a ``SpillTable``), with memory bounded by the slice size.
struct MetricsExport {
    /// Points held in memory per slice, across series.
    static let pointsPerSlice = 60_000

    let reader: StoreReader
    /// The selected series, in output order (name, then labels).
    let series: [(id: Int64, key: SeriesKey)]
    let plan: ResolutionPlan

    struct Totals {
        var samples: Int64 = 0
        var series = 0
        var first: Int64?
        var last: Int64?
        var markers: Int64 = 0
    }

    /// Reads the plan into `spill`, then writes `format` to `output`; `progress` gets the
    /// fraction of the read done (0...1) now and then.
    func write(
        _ format: SampleFormat,
        to output: OutputFile,
        spill: SpillTable,
        markers: OutputFile? = nil,
        progress: (Double) -> Void
    ) throws(BundleError) -> Totals {
        try fill(spill, progress: progress)
        var totals = Totals()
        var text = format.header()
        var lastName: String?
        var lastOrdinal = -1
        var labels = ""
        try spill.forEach { (_, position, timestamps, columns) throws(BundleError) in
            let ordinal = Int(position)
            let key = series[ordinal].key
            if ordinal != lastOrdinal {
                lastOrdinal = ordinal
                totals.series += 1
                labels = key.encodedLabels
                if key.name != lastName {
                    lastName = key.name
                    text += format.familyHeader(key)
                }
            }
            let tier: Tier = columns.count == 5 ? .minute : .raw
            for (row, timestamp) in timestamps.enumerated() {
                let values = columns.map { $0[row] }
                if values.count == 1, StaleMarker.isStale(values[0]) {
                    // OpenMetrics has no staleness marker; a bundle keeps them in a part of their own.
                    try markers?.write(StalenessLine.render(key, timestamp: timestamp))
                    if markers != nil { totals.markers += 1 }
                    continue
                }
                format.line(key, labels: labels, tier: tier, timestamp: timestamp, values: values, into: &text)
                totals.samples += 1
                totals.first = min(totals.first ?? timestamp, timestamp)
                totals.last = max(totals.last ?? timestamp, timestamp)
            }
            if text.utf8.count >= 1 << 16 {
                try output.write(text)
                text.removeAll(keepingCapacity: true)
            }
        }
        text += format.footer()
        try output.write(text)
        return totals
    }

    /// Reads each span slice by slice into the spill.
    private func fill(_ spill: SpillTable, progress: (Double) -> Void) throws(BundleError) {
        guard !series.isEmpty else { return }
        var ordinals: [Int64: Int] = [:]
        for (index, entry) in series.enumerated() { ordinals[entry.id] = index }
        let ids = Set(series.map(\.id))
        let total = Double(plan.spans.reduce(0) { $0 + max(1, $1.to - $1.from) })
        var done = 0.0
        var slice: Int64 = 0
        for span in plan.spans {
            let width = try sliceWidth(span)
            var start = span.from
            while start <= span.to {
                let end = min(span.to, start + width - 1)
                let points: [Int64: [(Int64, [Double])]]
                do {
                    points = try reader.points(ids: ids, tier: span.tier, from: start, to: end)
                } catch {
                    throw BundleError.io(path: "store", reason: "\(error)")
                }
                slice += 1
                try spill.begin()
                for (id, list) in points {
                    guard let ordinal = ordinals[id], let columns = list.first?.1.count else { continue }
                    let values = (0..<columns).map { column in list.map { column < $0.1.count ? $0.1[column] : .nan } }
                    try spill.add(group: 0, ordinal: Int64(ordinal), slice: slice, timestamps: list.map(\.0), columns: values)
                }
                try spill.commit()
                done += Double(end - start + 1)
                progress(min(1, done / total))
                if end == span.to { break }
                start = end + 1
            }
        }
    }

    /// A slice width that keeps about ``pointsPerSlice`` points in memory at this tier.
    private func sliceWidth(_ span: ResolutionPlan.Span) throws(BundleError) -> Int64 {
        let perSeries = Int64(max(1, Self.pointsPerSlice / max(1, series.count)))
        if span.tier != .raw { return max(span.tier.bucketMilliseconds, perSeries * span.tier.bucketMilliseconds) }
        // Raw: from the cycle rate over the span (cycles are the agent's collection instants).
        let cycles: Int
        do {
            cycles = try reader.cycleTimestamps(from: span.from, to: span.to).count
        } catch {
            throw BundleError.io(path: "store", reason: "\(error)")
        }
        let length = max(1, span.to - span.from + 1)
        guard cycles > 0 else { return length }
        return max(1_000, length * perSeries / Int64(cycles))
    }
}
