import EdgewatchEncoding

extension Tier {
    /// How much time one segment (the unit of eviction) covers.
    var segmentSpanMilliseconds: Int64 {
        switch self {
        case .raw: return 3_600_000
        case .minute: return 86_400_000
        case .hour: return 30 * 86_400_000
        }
    }
}
