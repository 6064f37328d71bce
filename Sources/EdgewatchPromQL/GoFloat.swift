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
    /// position: value = 0.d₁d₂… × 10^point.
    static func shortestDigits(_ value: Double) -> ([UInt8], Int) {
        if value == 0 { return ([0], 1) }
        let text = "\(value)"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        let integerPart = mantissa.prefix { $0 != "." }
        let fractionPart = mantissa.dropFirst(integerPart.count + 1)
        var digits = (integerPart + fractionPart).compactMap { $0.wholeNumberValue.map(UInt8.init) }
        var point = integerPart.count + exponent
        while digits.first == 0, digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == 0, digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }

    static func scientific(_ digits: [UInt8], _ exponent: Int) -> String {
        var text = String(digits[0])
        if digits.count > 1 { text += "." + digits.dropFirst().map(String.init).joined() }
        text += exponent < 0 ? "e-" : "e+"
        let magnitude = abs(exponent)
        text += magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
        return text
    }

    static func fixed(_ digits: [UInt8], _ point: Int, decimals: Int) -> String {
        var integer = ""
        if point <= 0 {
            integer = "0"
        } else {
            for index in 0..<point { integer += index < digits.count ? String(digits[index]) : "0" }
        }
        guard decimals > 0 else { return integer }
        var fraction = ""
        for index in 0..<decimals {
            let position = point + index
            fraction += position >= 0 && position < digits.count ? String(digits[position]) : "0"
        }
        return integer + "." + fraction
    }
}
