/// Exponential backoff with full jitter (milliseconds): the wait is uniform in [0, min(cap, base·2ⁿ)],
/// so many nodes that fail together do not retry together.
public struct Backoff: Sendable {
    public let base: Int64
    public let cap: Int64
    public private(set) var attempt = 0

    public init(base: Int64, cap: Int64) {
        self.base = base
        self.cap = cap
    }

    /// The next wait in milliseconds (at least 100).
    public mutating func next<R: RandomNumberGenerator>(using random: inout R) -> Int64 {
        let ceiling = min(cap, base << min(attempt, 30))
        attempt += 1
        return max(100, Int64.random(in: 0...max(ceiling, 1), using: &random))
    }

    /// Back to the first attempt after a success.
    public mutating func reset() { attempt = 0 }
}
