/// Escaping shared by every text form of a label set (exposition formats, the store's label column).
public enum TextEscaping {
    /// Appends `value` with backslash, double quote and line feed escaped, as OpenMetrics label
    /// values are; with `quotes: false`, double quotes stay as they are (Prometheus text HELP lines).
    public static func labelValue(_ value: String, quotes: Bool = true, into output: inout String) {
        // Most values need nothing escaped: appended whole rather than a scalar at a time.
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\n") || (quotes && $0 == UInt8(ascii: "\"")) })
        else {
            output += value
            return
        }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"" where quotes: output += "\\\""
            case "\n": output += "\\n"
            default: output.unicodeScalars.append(scalar)
            }
        }
    }
}
