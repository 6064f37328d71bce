import EdgewatchCore

/// Number and string formatting shared by the text writers (and the CLI's query output).
public enum SampleValueFormat {
    /// A float as OpenMetrics writes it: shortest round-trip decimal, `NaN`, `+Inf`, `-Inf`.
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return value.description
    }

    /// Parses what ``number(_:)`` writes (and `Inf`, `+Inf`, `-Inf`, `NaN` in any case Go accepts).
    public static func parse(_ text: Substring) -> Double? {
        switch text.lowercased() {
        case "nan": return .nan
        case "+inf", "inf": return .infinity
        case "-inf": return -.infinity
        default: return Double(text)
        }
    }

    /// A label set as a JSON object literal, `{"name":"value",…}` in label order.
    public static func jsonObject(_ labels: Labels) -> String {
        "{" + labels.map { jsonString($0.name) + ":" + jsonString($0.value) }.joined(separator: ",") + "}"
    }

    /// A CSV field, quoted (RFC 4180) when it holds a comma, quote or line break.
    public static func csvField(_ text: String) -> String {
        guard text.contains(",") || text.contains("\"") || text.contains("\n") else { return text }
        var output = "\""
        for character in text { output += character == "\"" ? "\"\"" : String(character) }
        return output + "\""
    }

    /// Escapes a label value: backslash, double quote and line feed.
    static func escapeLabelValue(_ value: String, into output: inout String) {
        TextEscaping.labelValue(value, into: &output)
    }

    /// Escapes HELP text: backslash and line feed; OpenMetrics also escapes double quotes, the
    /// Prometheus text format 0.0.4 does not (its parser would keep the backslash).
    static func escapeHelp(_ value: String, quotes: Bool, into output: inout String) {
        TextEscaping.labelValue(value, quotes: quotes, into: &output)
    }

    /// A JSON number; JSON has no NaN or infinities, so those become the strings "NaN", "+Inf", "-Inf".
    public static func jsonNumber(_ value: Double) -> String {
        value.isFinite ? number(value) : "\"" + number(value) + "\""
    }

    /// A JSON string literal, quotes included.
    public static func jsonString(_ value: String) -> String {
        var output = ""
        appendJSONString(value, to: &output)
        return output
    }

    /// Appends `value` as a quoted JSON string (a writer of many strings makes none of its own).
    public static func appendJSONString(_ value: String, to output: inout String) {
        output += "\""
        escapeJSON(value, into: &output)
        output += "\""
    }

    /// The same into bytes (UTF-8).
    public static func appendJSONString(_ value: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        escapeJSON(value, into: &output)
        output.append(UInt8(ascii: "\""))
    }

    /// Escapes a JSON string body (without the surrounding quotes).
    static func escapeJSON(_ value: String, into output: inout String) {
        // Most strings (label names and values, numbers) need nothing escaped: appended whole.
        guard needsEscaping(value) else {
            output += value
            return
        }
        var bytes: [UInt8] = []
        appendEscaped(value, to: &bytes)
        output += String(decoding: bytes, as: UTF8.self)
    }

    /// Escapes a JSON string body into bytes: backslash, quote and the control characters
    /// (`\n`, `\r`, `\t`, else `\u00xx`); everything else as its UTF-8.
    static func escapeJSON(_ value: String, into output: inout [UInt8]) {
        // Looked through and copied from its contiguous UTF-8 at once (a small string's UTF-8 view,
        // appended, is read byte by byte: a fleet answer's label sets are thousands of them).
        var value = value
        let plain = value.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
            output.append(contentsOf: bytes)
            return true
        }
        if !plain { appendEscaped(value, to: &output) }
    }

    /// The escaping itself, byte by byte (UTF-8 continuation bytes are never below 0x80).
    private static func appendEscaped(_ value: String, to output: inout [UInt8]) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): output += [UInt8(ascii: "\\"), byte]
            case UInt8(ascii: "\n"): output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case UInt8(ascii: "\t"): output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 15)]]
            default: output.append(byte)
            }
        }
    }

    /// Whether `value` holds a byte JSON escapes, looked for in its contiguous UTF-8 (a native
    /// string's own storage; the generic search over `utf8` was a tenth of a fleet query's answer).
    private static func needsEscaping(_ value: String) -> Bool {
        var value = value
        return value.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return true }
            return false
        }
    }
}
