/// Incremental min/max/sum/count/last of one series over one bucket.
///
/// For counters `sum` is the increase within the bucket, reset-aware (a drop counts the new value
/// as the increase, as Prometheus' `increase` does), so rates survive at lower resolution.
struct RollupAccumulator: Sendable {
    var bucket: Int64
    var minimum = Double.infinity
    var maximum = -Double.infinity
    var sum = 0.0
    var count = 0.0
    var last = Double.nan

    init(bucket: Int64) { self.bucket = bucket }

    mutating func add(_ value: Double, increase: Double?) {
        if value.isNaN { return }
        minimum = min(minimum, value)
        maximum = max(maximum, value)
        sum += increase ?? value
        count += 1
        last = value
    }

    /// Columns as stored: min, max, sum, count, last.
    var columns: [Double] { [minimum, maximum, sum, count, last] }
}
