/// A resolution the store keeps: raw samples, or min/max/sum/count/last per minute or hour.
public enum Tier: Int, Sendable, CaseIterable, Comparable {
    case raw = 0
    case minute = 1
    case hour = 2

    /// Bucket width in milliseconds (0 for raw).
    public var bucketMilliseconds: Int64 {
        switch self {
        case .raw: return 0
        case .minute: return 60_000
        case .hour: return 3_600_000
        }
    }

    /// Values per row: 1 for raw, 5 (min, max, sum, count, last) for rollups.
    public var columns: Int { self == .raw ? 1 : 5 }

    public var name: String {
        switch self {
        case .raw: return "raw"
        case .minute: return "1m"
        case .hour: return "1h"
        }
    }

    public static func < (lhs: Tier, rhs: Tier) -> Bool { lhs.rawValue < rhs.rawValue }
}
