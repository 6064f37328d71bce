/// Number and text forms for `top`'s narrow columns.
enum Text {
    /// `text` cut to `width` characters (an ellipsis marks the cut).
    static func cut(_ text: String, _ width: Int) -> String {
        guard width > 0 else { return "" }
        guard text.count > width else { return text }
        return width == 1 ? String(text.prefix(1)) : String(text.prefix(width - 1)) + "…"
    }

    /// `text` padded (or cut) to exactly `width`, left- or right-aligned.
    static func fit(_ text: String, _ width: Int, right: Bool = false) -> String {
        let cutText = cut(text, width)
        let padding = String(repeating: " ", count: max(0, width - cutText.count))
        return right ? padding + cutText : cutText + padding
    }

    /// Bytes as `812`, `1.2K`, `38M`, `3.8G` (binary units).
    static func bytes(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "-" }
        let units = ["", "K", "M", "G", "T", "P"]
        var scaled = abs(value)
        var index = 0
        while scaled >= 1024, index < units.count - 1 {
            scaled /= 1024
            index += 1
        }
        let sign = value < 0 ? "-" : ""
        if index == 0 { return sign + String(Int(scaled)) }
        guard let whole = scaled.roundedInt64() else { return sign + "huge" }
        return sign + (scaled < 10 ? decimal(scaled, 1) : String(whole)) + units[index]
    }

    static func rate(_ value: Double?) -> String { value == nil ? "-" : bytes(value) + "/s" }

    /// A fraction as `42%` (`-` when unknown).
    static func percent(_ value: Double?) -> String {
        guard let value, let percent = (value * 100).roundedInt64() else { return "-" }
        return String(percent) + "%"
    }

    static func decimal(_ value: Double, _ digits: Int) -> String {
        var factor = 1.0
        for _ in 0..<digits { factor *= 10 }
        guard let scaled = (value * factor).roundedInt64() else { return "-" }
        let whole = scaled / Int64(factor)
        let fraction = abs(scaled % Int64(factor))
        guard digits > 0 else { return String(whole) }
        var text = String(fraction)
        while text.count < digits { text = "0" + text }
        return (scaled < 0 && whole == 0 ? "-" : "") + String(whole) + "." + text
    }

    /// A duration as `45s`, `12m`, `5h12m`, `3d4h`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "-" }
        let total = Int(max(0, seconds))
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m" }
        if total < 86_400 { return "\(total / 3600)h\(total % 3600 / 60)m" }
        return "\(total / 86_400)d\(total % 86_400 / 3600)h"
    }

    /// `values` as a sparkline of `width` characters, scaled from 0 to `maximum` (default: the
    /// largest value); buckets average the values they cover.
    static func sparkline(_ values: [Double], width: Int, maximum: Double? = nil) -> String {
        guard width > 0 else { return "" }
        let clean = values.filter { $0.isFinite }
        guard !clean.isEmpty else { return String(repeating: " ", count: width) }
        let top = max(maximum ?? (clean.max() ?? 1), 1e-12)
        let bars = Array("▁▂▃▄▅▆▇█")
        var result = ""
        let count = clean.count
        let columns = min(width, count)
        for column in 0..<columns {
            let start = column * count / columns
            let end = max(start + 1, (column + 1) * count / columns)
            let mean = clean[start..<end].reduce(0, +) / Double(end - start)
            let level = Int((min(max(mean / top, 0), 1) * Double(bars.count - 1)).rounded())
            result.append(bars[level])
        }
        return String(repeating: " ", count: width - columns) + result
    }

    /// `HH:MM:SS` (UTC) of a time in ms.
    static func clock(_ milliseconds: Int64) -> String {
        let seconds = ((milliseconds / 1000) % 86_400 + 86_400) % 86_400
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
    }
}
