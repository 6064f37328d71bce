/// Escaping shared by every text form of a label set (exposition formats, the store's label column).
public enum TextEscaping {
    /// Appends `value` with backslash, double quote and line feed escaped, as OpenMetrics label values are.
    public static func labelValue(_ value: String, into output: inout String) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            default: output.unicodeScalars.append(scalar)
            }
        }
    }
}
