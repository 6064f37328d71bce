#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Formats floats exactly as Go's `strconv`/`fmt` do, since rule templates, promtool-style
/// reports and `count_values` labels print numbers the way Prometheus prints them.
public enum GoFloat {
    public enum Style: Sendable {
        /// `%v` / `strconv.FormatFloat(v, 'g', -1, 64)`: shortest digits, exponent when < -4 or ≥ 6.
        case shortest
        /// `strconv.FormatFloat(v, 'f', -1, 64)`: shortest digits, never an exponent.
        case fixed
        /// `strconv.FormatFloat(v, 'e', -1, 64)`: shortest digits, always an exponent (`1e+00`).
        case exponent
    }

    public static func format(_ value: Double, style: Style = .shortest) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        // Whole numbers short of 2⁵³ (counters, bytes) print as integers in the fixed style.
        if style == .fixed, value != 0, abs(value) < 9_007_199_254_740_992, let whole = Int64(exactly: value) { return String(whole) }
        let negative = value.sign == .minus
        let (digits, point) = shortestDigits(abs(value))
        let body: String
        switch style {
        case .fixed: body = fixed(digits, point, decimals: max(digits.count - point, 0))
        case .exponent: body = scientific(digits, digits == [0] ? 0 : point - 1)
        case .shortest:
            let exponent = point - 1
            if digits == [0] {
                body = "0"
            } else if exponent < -4 || exponent >= 6 {
                body = scientific(digits, exponent)
            } else {
                body = fixed(digits, point, decimals: max(digits.count - point, 0))
            }
        }
        return (negative ? "-" : "") + body
    }

    /// A C/Go printf verb with one float argument, e.g. `%.4g` or `%.2f`; Go's spelling of NaN and infinities.
    public static func printf(_ format: String, _ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        var buffer = [CChar](repeating: 0, count: 512)
        let count = withVaList([value]) { arguments in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, arguments) }
        }
        guard count >= 0 else { return "" }
        return String(decoding: buffer.prefix(Int(min(count, 511))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Shortest round-trip decimal digits of a finite non-negative value and the decimal point
    /// position: value = 0.d₁d₂… × 10^point. Read from Swift's description (also shortest
    /// round-trip: `123.45`, `1e-05`, `5.0e+20`), byte by byte.
    static func shortestDigits(_ value: Double) -> ([UInt8], Int) {
        if value == 0 { return ([0], 1) }
        let text = Array("\(value)".utf8)
        var digits: [UInt8] = []
        digits.reserveCapacity(text.count)
        var integerCount = 0
        var inFraction = false
        var index = 0
        var exponent = 0
        while index < text.count {
            let byte = text[index]
            index += 1
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(byte - UInt8(ascii: "0"))
                if !inFraction { integerCount += 1 }
            case UInt8(ascii: "."):
                inFraction = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                exponent = Self.exponent(text[index...])
                index = text.count
            default:
                break
            }
        }
        var point = integerCount + exponent
        var first = 0
        while first < digits.count - 1, digits[first] == 0 {
            first += 1
            point -= 1
        }
        var last = digits.count
        while last - first > 1, digits[last - 1] == 0 { last -= 1 }
        return (Array(digits[first..<last]), point)
    }

    /// `+20`, `-05` or `7` as a number.
    private static func exponent(_ text: ArraySlice<UInt8>) -> Int {
        var magnitude = 0
        for byte in text where (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
            magnitude = min(magnitude * 10 + Int(byte - UInt8(ascii: "0")), 100_000)
        }
        return text.first == UInt8(ascii: "-") ? -magnitude : magnitude
    }

    static func scientific(_ digits: [UInt8], _ exponent: Int) -> String {
        var text: [UInt8] = [UInt8(ascii: "0") + digits[0]]
        if digits.count > 1 {
            text.append(UInt8(ascii: "."))
            text += digits.dropFirst().map { UInt8(ascii: "0") + $0 }
        }
        text += (exponent < 0 ? "e-" : "e+").utf8
        let magnitude = abs(exponent)
        if magnitude < 10 { text.append(UInt8(ascii: "0")) }
        text += String(magnitude).utf8
        return String(decoding: text, as: UTF8.self)
    }

    static func fixed(_ digits: [UInt8], _ point: Int, decimals: Int) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(max(point, 1) + decimals + 1)
        appendFixed(digits, point, decimals: decimals, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    static func appendFixed(_ digits: [UInt8], _ point: Int, decimals: Int, to text: inout [UInt8]) {
        if point <= 0 {
            text.append(UInt8(ascii: "0"))
        } else {
            for index in 0..<point { text.append(UInt8(ascii: "0") + (index < digits.count ? digits[index] : 0)) }
        }
        if decimals > 0 {
            text.append(UInt8(ascii: "."))
            for index in 0..<decimals {
                let position = point + index
                text.append(UInt8(ascii: "0") + (position >= 0 && position < digits.count ? digits[position] : 0))
            }
        }
    }
}
