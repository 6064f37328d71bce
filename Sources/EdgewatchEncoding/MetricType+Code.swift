import EdgewatchCore

extension MetricType {
    /// The type's code in the store, the batch format and the hub's database: explicit and
    /// versioned with those formats, never a position in `allCases`.
    public var code: UInt8 {
        switch self {
        case .counter: return 0
        case .gauge: return 1
        case .unknown: return 2
        }
    }

    /// The type a code names; nil for a code no format version defines.
    public init?(code: UInt8) {
        switch code {
        case 0: self = .counter
        case 1: self = .gauge
        case 2: self = .unknown
        default: return nil
        }
    }
}
