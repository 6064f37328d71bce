/// Last cycle's series keys in collection order, each with a value (a store id, a rule-window
/// slot). Collection emits the same series in the same order cycle after cycle, so a key equal to
/// the one at its position reuses that value: an equality check instead of hashing the whole key.
public struct CycleOrder<Value> {
    private var entries: [(key: SeriesKey, value: Value)] = []

    public init() {}

    /// The value recorded at `index` last cycle, when the key there is `key`.
    public func value(at index: Int, for key: SeriesKey) -> Value? {
        index < entries.count && entries[index].key == key ? entries[index].value : nil
    }

    /// This cycle's keys and values, for the next cycle to reuse.
    public mutating func replace(with entries: [(key: SeriesKey, value: Value)]) {
        self.entries = entries
    }

    /// Forgets everything (values were renumbered).
    public mutating func reset() {
        entries = []
    }
}
