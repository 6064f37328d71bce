extension GoFloat {
    /// Appends `format(value, style: .fixed)` as UTF-8 without making a `String`: a query's answer
    /// writes thousands of values, and a string each was a tenth of its time.
    public static func appendFixed(_ value: Double, to output: inout [UInt8]) {
        if value.isNaN || value.isInfinite {
            output.append(contentsOf: format(value, style: .fixed).utf8)
        } else if value != 0, abs(value) < 9_007_199_254_740_992, let whole = Int64(exactly: value) {
            appendInteger(whole, to: &output)
        } else if value != 0, appendShortDecimal(value, to: &output) {
            return
        } else if value != 0, appendPlain(value, to: &output) {
            return
        } else {
            if value.sign == .minus { output.append(UInt8(ascii: "-")) }
            let (digits, point) = shortestDigits(abs(value))
            appendFixed(digits, point, decimals: max(digits.count - point, 0), to: &output)
        }
    }

    /// Appends the fixed text of a value of at most six decimals and fifteen digits (a load
    /// average, a temperature, a ratio read from a file, as many samples are), found with one
    /// multiplication and one division rather than Swift's search for the shortest digits (most of
    /// the time writing such a fleet query's answer): `micros / 1e6` is the double nearest the
    /// decimal, so the decimal reads back as `value`, and no other decimal of fifteen digits or
    /// fewer does (a double holds fifteen), so it is the shortest. False, having appended nothing,
    /// otherwise.
    static func appendShortDecimal(_ value: Double, to output: inout [UInt8]) -> Bool {
        let scaled = (value * 1e6).rounded()
        guard abs(scaled) < 1e15, scaled / 1e6 == value, let micros = Int64(exactly: scaled) else { return false }
        let (whole, fraction) = micros.magnitude.quotientAndRemainder(dividingBy: 1_000_000)
        if value < 0 { output.append(UInt8(ascii: "-")) }
        appendInteger(Int64(whole), to: &output)
        if fraction != 0 { appendFraction(fraction, places: 6, to: &output) }
        return true
    }

    /// Appends a point and the `places` decimals of `fraction` (below 10^`places`), less their
    /// trailing zeros: `250` of three places as `.25`.
    public static func appendFraction(_ fraction: UInt64, places: Int, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "."))
        var digits = fraction
        var width = max(places, 1)
        while width > 1, digits % 10 == 0 {
            digits /= 10
            width -= 1
        }
        var divisor: UInt64 = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(digits / divisor % 10))
            divisor /= 10
        }
    }

    /// Appends Swift's own text of `value` when it is already the fixed form: the same shortest
    /// digits (``shortestDigits(_:)`` reads them from it) with no exponent and a fraction, as most
    /// samples' values are; false, having appended nothing, otherwise. A fleet query writes tens of
    /// thousands: taking the digits apart each time (two arrays a value) had made this 7% of a
    /// hub's time serving one metric over 2000 nodes, 4% without.
    private static func appendPlain(_ value: Double, to output: inout [UInt8]) -> Bool {
        var text = value.description
        return text.withUTF8 { bytes in
            guard bytes.count >= 3, !bytes.contains(UInt8(ascii: "e")),
                bytes[bytes.count - 2] != UInt8(ascii: ".") || bytes[bytes.count - 1] != UInt8(ascii: "0")
            else { return false }
            output.append(contentsOf: bytes)
            return true
        }
    }

    /// Appends `String(value)` as UTF-8.
    public static func appendInteger(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 20 digits at most, written backwards here
        withUnsafeMutableBytes(of: &digits) { buffer in
            var index = buffer.count
            repeat {
                index -= 1
                buffer[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
        }
    }
}
