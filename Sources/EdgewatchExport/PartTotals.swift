/// What a part holds: how many records, and the first and last record time (ms).
struct PartTotals {
    var count: Int64 = 0
    var first: Int64?
    var last: Int64?

    mutating func add(_ milliseconds: Int64) {
        count += 1
        first = min(first ?? milliseconds, milliseconds)
        last = max(last ?? milliseconds, milliseconds)
    }
}
