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

    /// Parses one line (without its newline).
    public static func parse(_ line: Substring) throws(Failure) -> OpenMetricsLine {
        if line.isEmpty { return .ignored }
        if line.first == "#" { return try comment(line) }
        var scanner = Scanner(line)
        let name = scanner.name()
        guard !name.isEmpty else { throw Failure(column: 1, reason: "expected a metric name") }
        var labels: [Label] = []
        if scanner.peek == "{" { labels = try scanner.labelSet() }
        guard scanner.peek == " " else { throw Failure(column: scanner.column, reason: "expected a space before the value") }
        scanner.skip()
        let valueText = scanner.token()
        guard let value = SampleValueFormat.parse(valueText) else {
            throw Failure(column: scanner.column - valueText.count, reason: "expected a number, NaN, +Inf or -Inf, got \"\(valueText)\"")
        }
        var timestamp: Int64?
        if scanner.peek == " " {
            scanner.skip()
            let text = scanner.token()
            if !text.isEmpty, text != "#" {
                guard let seconds = Double(text), seconds.isFinite else {
                    throw Failure(column: scanner.column - text.count, reason: "expected a timestamp in seconds, got \"\(text)\"")
                }
                timestamp = Int64((seconds * 1000).rounded())
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

    /// Walks a line character by character, tracking the column.
    private struct Scanner {
        var rest: Substring
        var column = 1

        init(_ line: Substring) { rest = line }

        var peek: Character? { rest.first }

        mutating func skip() {
            rest = rest.dropFirst()
            column += 1
        }

        mutating func name() -> String {
            let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
            rest = rest.dropFirst(name.count)
            column += name.count
            return String(name)
        }

        mutating func token() -> Substring {
            let token = rest.prefix { $0 != " " }
            rest = rest.dropFirst(token.count)
            column += token.count
            return token
        }

        mutating func labelSet() throws(Failure) -> [Label] {
            skip()
            var labels: [Label] = []
            while peek != "}" {
                let name = self.name()
                guard !name.isEmpty else { throw Failure(column: column, reason: "expected a label name") }
                guard peek == "=" else { throw Failure(column: column, reason: "expected = after label \(name)") }
                skip()
                guard peek == "\"" else { throw Failure(column: column, reason: "expected a quoted value for label \(name)") }
                skip()
                labels.append(Label(name, try quoted()))
                if peek == "," { skip() } else if peek != "}" { throw Failure(column: column, reason: "expected , or } after a label") }
            }
            skip()
            return labels
        }

        mutating func quoted() throws(Failure) -> String {
            var value = ""
            while let character = peek {
                skip()
                switch character {
                case "\"": return value
                case "\\":
                    guard let escaped = peek else { break }
                    skip()
                    switch escaped {
                    case "n": value.append("\n")
                    case "\\", "\"": value.append(escaped)
                    default: throw Failure(column: column - 1, reason: "unknown escape \\\(escaped) in a label value")
                    }
                default: value.append(character)
                }
            }
            throw Failure(column: column, reason: "unterminated label value")
        }
    }
}
