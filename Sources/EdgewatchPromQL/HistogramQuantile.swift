/// histogram_quantile over classic `le` buckets, with Prometheus' interpolation and repairs
/// (merged duplicate bounds, non-monotonic counts raised).
enum HistogramQuantile {
    struct Bucket {
        var upperBound: Double
        var count: Double
    }

    static func quantile(_ q: Double, _ input: [Bucket]) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let last = buckets.last, last.upperBound == .infinity else { return .nan }
        // Merge buckets with the same bound.
        var merged: [Bucket] = []
        for bucket in buckets {
            if let previous = merged.last, previous.upperBound == bucket.upperBound {
                merged[merged.count - 1].count += bucket.count
            } else {
                merged.append(bucket)
            }
        }
        buckets = merged
        var highest = -Double.infinity
        for index in buckets.indices {
            if buckets[index].count > highest {
                highest = buckets[index].count
            } else if buckets[index].count < highest {
                buckets[index].count = highest
            }
        }
        guard buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        guard observations != 0 else { return .nan }
        var rank = q * observations
        let searchable = buckets.count - 1
        var b = searchable
        for index in 0..<searchable where buckets[index].count >= rank {
            b = index
            break
        }
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0, buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var start = 0.0
        let end = buckets[b].upperBound
        var count = buckets[b].count
        if b > 0 {
            start = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return start + (end - start) * (rank / count)
    }
}
