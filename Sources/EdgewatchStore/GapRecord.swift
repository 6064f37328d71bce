import EdgewatchEncoding

/// A time range without data at some tier, and why: readers tell "no data" from "value 0".
public struct GapRecord: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Dropped to stay within the byte budget.
        case evicted
        /// The agent did not collect (stopped, crashed, board off).
        case notCollected = "not_collected"
        /// Events dropped to stay within their share of the byte budget.
        case eventsEvicted = "events_evicted"
        /// Collected, then dropped from memory while the disk refused writes for long.
        case notStored = "not_stored"
    }

    public var tier: Tier
    public var kind: Kind
    public var start: Int64
    public var end: Int64

    public init(tier: Tier, kind: Kind, start: Int64, end: Int64) {
        self.tier = tier
        self.kind = kind
        self.start = start
        self.end = end
    }
}
