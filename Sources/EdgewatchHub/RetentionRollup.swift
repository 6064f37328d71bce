import EdgewatchEncoding

/// The summaries of the next tier made from a node's blocks of one tier over whole buckets:
/// min, max, sum, count and last per series and bucket (a bucket named by its start, as the agent
/// names its own). Raw counters add their increases within the span (a reset counts the new value);
/// summaries combine; a block holding only a last value (an import) counts it as one sample.
struct RetentionRollup {
    let tier: Tier
    let from: Int64
    let to: Int64
    /// Spans within `[from, to)` left out (the node sent its own summaries for them).
    var skipping: [Range<Int64>] = []
    /// Per hub series id, per bucket start: min, max, sum, count, last (and the last's time).
    private var buckets: [Int64: [Int64: (min: Double, max: Double, sum: Double, count: Double, last: Double, at: Int64)]] = [:]
    /// The previous raw value per counter series, for increases.
    private var previous: [Int64: (at: Int64, value: Double)] = [:]

    init(tier: Tier, from: Int64, to: Int64) {
        self.tier = tier
        self.from = from
        self.to = to
    }

    var nextTier: Tier { tier == .raw ? .minute : .hour }

    /// Adds a stored block's rows within `[from, to)`; false when its bytes cannot be decoded.
    /// `counters` names the hub series ids that are counters.
    mutating func add(ids: [Int64], data: [UInt8], counters: Set<Int64>) -> Bool {
        var codec = BlockCodec()
        guard let block = try? codec.decode(data) else { return false }
        let width = nextTier.bucketMilliseconds
        for entry in block.series where entry.id >= 0 && Int(entry.id) < ids.count {
            let id = ids[Int(entry.id)]
            var index = 0
            for (row, timestamp) in block.timestamps.enumerated() {
                if let present = entry.present, row < present.count, !present[row] { continue }
                defer { index += 1 }
                guard timestamp >= from, timestamp < to, entry.values.allSatisfy({ index < $0.count }) else { continue }
                if !skipping.isEmpty, skipping.contains(where: { $0.contains(timestamp) }) { continue }
                let columns = entry.values.map { $0[index] }
                let bucket = alignDown(timestamp, width)
                fold(id: id, bucket: bucket, at: timestamp, columns: columns, counter: counters.contains(id))
            }
        }
        return true
    }

    private mutating func fold(id: Int64, bucket: Int64, at timestamp: Int64, columns: [Double], counter: Bool) {
        guard let last = columns.last, !last.isNaN else { return }
        var summary: (min: Double, max: Double, sum: Double, count: Double)
        if tier == .raw || columns.count < 5 {
            var increase = last
            if counter, tier == .raw {
                increase = previous[id].map { $0.at < timestamp ? (last >= $0.value ? last - $0.value : last) : 0 } ?? 0
                if (previous[id]?.at ?? .min) < timestamp { previous[id] = (timestamp, last) }
            }
            summary = (last, last, increase, 1)
        } else {
            summary = (columns[0], columns[1], columns[2], columns[3])
        }
        var current = buckets[id, default: [:]][bucket] ?? (.infinity, -.infinity, 0, 0, .nan, .min)
        current.min = Swift.min(current.min, summary.min)
        current.max = Swift.max(current.max, summary.max)
        current.sum += summary.sum
        current.count += summary.count
        if timestamp >= current.at { (current.last, current.at) = (last, timestamp) }
        buckets[id, default: [:]][bucket] = current
    }

    /// The summaries as rows of the next tier (min, max, sum, count, last per bucket).
    func rows() -> BlockRows {
        var rows = BlockRows(columns: 5)
        for (id, byBucket) in buckets {
            for (bucket, value) in byBucket {
                rows.set(id: id, timestamp: bucket, values: [value.min, value.max, value.sum, value.count, value.last])
            }
        }
        return rows
    }
}
