/// Bytes that cannot be decoded: cut short, malformed, or over a limit the reader enforces.
public enum DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated
    case badVersion(UInt8)
    case malformed(String)
    case limit(String)

    public var description: String {
        switch self {
        case .truncated: return "truncated"
        case .badVersion(let version): return "unknown format version \(version)"
        case .malformed(let what): return "malformed: \(what)"
        case .limit(let what): return what
        }
    }
}
