import EdgewatchCore

/// One line of OpenMetrics text, parsed: what `edgewatch export` writes and the hub's import
/// reads back. A pure function over the line's bytes; errors name the column.
public enum OpenMetricsLine: Equatable, Sendable {
    /// `# TYPE family type`.
    case type(family: String, type: MetricType)
    /// `name{labels} value [timestamp]`, the timestamp in milliseconds.
    case sample(name: String, labels: Labels, value: Double, timestamp: Int64?)
    /// `# EOF`.
    case end
    /// `# HELP`, `# UNIT`, other comments and empty lines.
    case ignored

    /// A line that does not parse: the 1-based column and what was expected.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        public var column: Int
        public var reason: String
        public var description: String { "column \(column): \(reason)" }
    }

    /// Parses one line (without its newline). Works on the UTF-8 bytes; columns count bytes.
    public static func parse(_ line: Substring) throws(Failure) -> OpenMetricsLine {
        if line.isEmpty { return .ignored }
        if line.utf8.first == UInt8(ascii: "#") { return try comment(line) }
        var scanner = Scanner(line.utf8)
        let name = scanner.name()
        guard !name.isEmpty else { throw Failure(column: 1, reason: "expected a metric name") }
        var labels: [Label] = []
        if scanner.peek == UInt8(ascii: "{") { labels = try scanner.labelSet() }
        guard scanner.peek == UInt8(ascii: " ") else { throw Failure(column: scanner.column, reason: "expected a space before the value") }
        scanner.skip()
        let valueColumn = scanner.column
        let valueText = scanner.token()
        guard let value = SampleValueFormat.parse(Substring(valueText)) else {
            throw Failure(column: valueColumn, reason: "expected a number, NaN, +Inf or -Inf, got \"\(valueText)\"")
        }
        var timestamp: Int64?
        if scanner.peek == UInt8(ascii: " ") {
            scanner.skip()
            let column = scanner.column
            let text = scanner.token()
            if !text.isEmpty, text != "#" {
                guard let seconds = Double(text), let milliseconds = (seconds * 1000).roundedInt64() else {
                    throw Failure(column: column, reason: "expected a timestamp in seconds, got \"\(text)\"")
                }
                timestamp = milliseconds
            }
        }
        return .sample(name: name, labels: Labels(labels), value: value, timestamp: timestamp)
    }

    private static func comment(_ line: Substring) throws(Failure) -> OpenMetricsLine {
        if line == "# EOF" { return .end }
        guard line.hasPrefix("# TYPE ") else { return .ignored }
        let fields = line.dropFirst("# TYPE ".count).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, !fields[0].isEmpty else { throw Failure(column: 8, reason: "expected \"# TYPE <family> <type>\"") }
        let type: MetricType
        switch fields[1] {
        case "counter": type = .counter
        case "gauge": type = .gauge
        case "unknown", "untyped": type = .unknown
        default: throw Failure(column: 9 + fields[0].count, reason: "expected counter, gauge or unknown, got \"\(fields[1])\"")
        }
        return .type(family: String(fields[0]), type: type)
    }

    /// Walks a line's UTF-8 bytes, tracking the (1-based byte) column.
    private struct Scanner {
        let bytes: Substring.UTF8View
        var index: Substring.UTF8View.Index
        var column = 1

        init(_ bytes: Substring.UTF8View) {
            self.bytes = bytes
            index = bytes.startIndex
        }

        var peek: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

        mutating func skip() {
            index = bytes.index(after: index)
            column += 1
        }

        /// Letters, digits, `_` and `:`.
        mutating func name() -> String {
            let start = index
            while let byte = peek, Self.isNameByte(byte) { skip() }
            return String(Substring(bytes[start..<index]))
        }

        mutating func token() -> String {
            let start = index
            while let byte = peek, byte != UInt8(ascii: " ") { skip() }
            return String(Substring(bytes[start..<index]))
        }

        static func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5f || byte == 0x3a
        }

        mutating func labelSet() throws(Failure) -> [Label] {
            skip()
            var labels: [Label] = []
            while peek != UInt8(ascii: "}") {
                let name = self.name()
                guard !name.isEmpty else { throw Failure(column: column, reason: "expected a label name") }
                guard peek == UInt8(ascii: "=") else { throw Failure(column: column, reason: "expected = after label \(name)") }
                skip()
                guard peek == UInt8(ascii: "\"") else { throw Failure(column: column, reason: "expected a quoted value for label \(name)") }
                skip()
                labels.append(Label(name, try quoted()))
                if peek == UInt8(ascii: ",") {
                    skip()
                } else if peek != UInt8(ascii: "}") {
                    throw Failure(column: column, reason: "expected , or } after a label")
                }
            }
            skip()
            return labels
        }

        mutating func quoted() throws(Failure) -> String {
            var value: [UInt8] = []
            while let byte = peek {
                skip()
                switch byte {
                case UInt8(ascii: "\""): return String(decoding: value, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    guard let escaped = peek else { break }
                    skip()
                    switch escaped {
                    case UInt8(ascii: "n"): value.append(0x0a)
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""): value.append(escaped)
                    default:
                        throw Failure(column: column - 1, reason: "unknown escape \\\(String(decoding: [escaped], as: UTF8.self)) in a label value")
                    }
                default: value.append(byte)
                }
            }
            throw Failure(column: column, reason: "unterminated label value")
        }
    }
}
