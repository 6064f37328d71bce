extension GoFloat {
    /// Appends `format(value, style: .fixed)` as UTF-8 without making a `String`: a query's answer
    /// writes thousands of values, and a string each was a tenth of its time.
    public static func appendFixed(_ value: Double, to output: inout [UInt8]) {
        if value.isNaN || value.isInfinite {
            output.append(contentsOf: format(value, style: .fixed).utf8)
        } else if value != 0, abs(value) < 9_007_199_254_740_992, let whole = Int64(exactly: value) {
            appendInteger(whole, to: &output)
        } else {
            if value.sign == .minus { output.append(UInt8(ascii: "-")) }
            let (digits, point) = shortestDigits(abs(value))
            appendFixed(digits, point, decimals: max(digits.count - point, 0), to: &output)
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
