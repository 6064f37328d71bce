/// Strict number parsing for kernel text: decimal only (no hex floats, no `inf`/`nan` words),
/// and values that overflow a Double are rejected instead of becoming infinite.
public enum NumberParsing {
    /// A decimal floating-point or integer literal, optionally signed, with an optional exponent.
    public static func decimal<S: StringProtocol>(_ text: S) -> Double? {
        // Most kernel numbers are plain digits: exact as a Double up to 15 of them.
        var whole: Int64 = 0
        var digits = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 15 else {
                digits = -1
                break
            }
            whole = whole * 10 + Int64(byte - UInt8(ascii: "0"))
            digits += 1
        }
        if digits > 0 { return Double(whole) }
        guard isDecimalLiteral(text.utf8) else { return nil }
        guard let value = Double(Substring(text)), value.isFinite else { return nil }
        return value
    }

    /// An unsigned 64-bit integer (the kernel's `%llu`); nil on overflow or stray characters.
    public static func unsigned<S: StringProtocol>(_ text: S) -> UInt64? {
        UInt64(text, radix: 10)
    }

    /// A signed 64-bit integer (the kernel's `%lld`); nil on overflow or stray characters.
    public static func signed<S: StringProtocol>(_ text: S) -> Int64? {
        Int64(text, radix: 10)
    }

    /// An unsigned integer written in hexadecimal, with or without `0x`.
    public static func hexadecimal<S: StringProtocol>(_ text: S) -> UInt64? {
        var body = Substring(text)
        if body.hasPrefix("0x") || body.hasPrefix("0X") { body = body.dropFirst(2) }
        guard !body.isEmpty else { return nil }
        return UInt64(body, radix: 16)
    }

    private static func isDecimalLiteral<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var sawDigit = false
        var sawExponent = false
        var previous: UInt8 = 0
        for (offset, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                sawDigit = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard offset == 0 || previous == UInt8(ascii: "e") || previous == UInt8(ascii: "E") else { return false }
            case UInt8(ascii: "."):
                guard !sawExponent else { return false }
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard sawDigit, !sawExponent else { return false }
                sawExponent = true
            default:
                return false
            }
            previous = byte
        }
        return sawDigit
    }
}
