import HostFS

/// The Raspberry Pi firmware's throttling bitmask (`get_throttled`, hexadecimal).
///
/// Bits 0–3 describe the state now, bits 16–19 whether it has occurred since boot.
public struct ThrottledFlags: Sendable, Hashable {
    /// One decoded condition.
    public enum Condition: String, Sendable, CaseIterable {
        case underVoltage = "under_voltage"
        case frequencyCapped = "frequency_capped"
        case throttled = "throttled"
        case softTemperatureLimit = "soft_temp_limit"

        var bit: UInt64 {
            switch self {
            case .underVoltage: return 0
            case .frequencyCapped: return 1
            case .throttled: return 2
            case .softTemperatureLimit: return 3
            }
        }
    }

    public var raw: UInt64

    public init(raw: UInt64) { self.raw = raw }

    /// Parses the sysfs text (`50005`, `0x50005` or `0`).
    public init?(text: String) {
        guard let value = NumberParsing.hexadecimal(TextScanning.trimmed(text)), value <= 0xFFFF_FFFF else { return nil }
        raw = value
    }

    /// Whether `condition` holds now.
    public func isActive(_ condition: Condition) -> Bool { raw & (1 << condition.bit) != 0 }

    /// Whether `condition` has occurred since boot.
    public func hasOccurred(_ condition: Condition) -> Bool { raw & (1 << (condition.bit + 16)) != 0 }
}
