/// Exponential backoff with full jitter (milliseconds): the wait is uniform in [0, min(cap, base·2ⁿ)],
/// so many nodes that fail together do not retry together.
struct Backoff {
    let base: Int64
    let cap: Int64
    private(set) var attempt = 0

    init(base: Int64, cap: Int64) {
        self.base = base
        self.cap = cap
    }

    mutating func next<R: RandomNumberGenerator>(using random: inout R) -> Int64 {
        let ceiling = min(cap, base << min(attempt, 30))
        attempt += 1
        return max(100, Int64.random(in: 0...max(ceiling, 1), using: &random))
    }

    mutating func reset() { attempt = 0 }
}
