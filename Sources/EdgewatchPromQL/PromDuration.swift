/// Prometheus durations (`1y2w3d4h5m6s7ms`, units in decreasing order) in milliseconds.
public enum PromDuration {
    private static let units: [(String, Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Milliseconds for `text`, or nil when it is not a Prometheus duration.
    public static func parse(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        var total: Int64 = 0
        var nextUnit = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(letters.count)
            guard let position = units[nextUnit...].firstIndex(where: { $0.0 == letters }) else { return nil }
            nextUnit = position + 1
            let (product, overflow) = number.multipliedReportingOverflow(by: units[position].1)
            guard !overflow else { return nil }
            let (sum, overflowSum) = total.addingReportingOverflow(product)
            guard !overflowSum else { return nil }
            total = sum
        }
        return total
    }

    /// Formats milliseconds the way Prometheus prints durations (`1h30m`, `0s`).
    public static func format(_ milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var text = milliseconds < 0 ? "-" : ""
        if rest < 0 { rest = -rest }
        for (unit, size) in units where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
