import EdgewatchCore
import EdgewatchPromQL

/// promtool's input series notation: `1 2 _ stale 3+2x4 1-1x3 5x2 _x3`.
public enum SeriesNotation {
    /// The most values one series may expand to (a week of 1 s steps): a repeat count beyond it
    /// is a typo that would otherwise exhaust memory.
    public static let maxValues = 604_800

    /// One value per interval step; nil is an omitted sample.
    public static func expand(_ text: String) throws(PromQLError) -> [Double?] {
        var values: [Double?] = []
        var column = 1
        for token in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
            defer { column += token.count + 1 }
            func fail(_ message: String) -> PromQLError {
                PromQLError(parse: "\(message) in \"\(token)\"", line: 1, column: column)
            }
            if token == "_" {
                values.append(nil)
                continue
            }
            if token.hasPrefix("_x") {
                guard let count = Int(token.dropFirst(2)), count >= 0 else { throw fail("expected _xN with a count N") }
                guard count <= maxValues - values.count else { throw fail("expands beyond \(maxValues) values") }
                values += Array(repeating: nil, count: count)
                continue
            }
            if token == "stale" {
                values.append(StaleMarker.value)
                continue
            }
            guard let xIndex = token.lastIndex(of: "x") else {
                guard let value = number(token) else { throw fail("expected a number, _, stale or a+bxN") }
                values.append(value)
                continue
            }
            guard let count = Int(token[token.index(after: xIndex)...]), count >= 0 else {
                throw fail("expected a repeat count after x")
            }
            guard count < maxValues - values.count else { throw fail("expands beyond \(maxValues) values") }
            let head = token[..<xIndex]
            guard !head.isEmpty else { throw fail("expected a+bxN with a number before x") }
            // Split "a+b" / "a-b" at the sign that is not the leading sign or an exponent sign.
            var splitIndex: Substring.Index?
            var index = head.index(after: head.startIndex)
            while index < head.endIndex {
                let c = head[index]
                let previous = head[head.index(before: index)]
                if c == "+" || c == "-", previous != "e", previous != "E" { splitIndex = index }
                index = head.index(after: index)
            }
            var start: Double
            var step = 0.0
            if let splitIndex {
                guard let a = number(head[..<splitIndex]), let b = number(head[splitIndex...]) else {
                    throw fail("expected a+bxN with numbers a and b")
                }
                start = a
                step = b
            } else {
                guard let a = number(head) else { throw fail("expected axN with a number a") }
                start = a
            }
            for _ in 0...count {
                values.append(start)
                start += step
            }
        }
        guard values.count <= maxValues else { throw PromQLError(parse: "expands beyond \(maxValues) values", line: 1, column: 1) }
        return values
    }

    static func number(_ text: Substring) -> Double? {
        var body = text
        var sign = 1.0
        if body.hasPrefix("+") {
            body = body.dropFirst()
        } else if body.hasPrefix("-") {
            sign = -1
            body = body.dropFirst()
        }
        switch body.lowercased() {
        case "inf": return sign * .infinity
        case "nan": return .nan
        default:
            guard let first = body.first, first.isNumber || first == "." else { return nil }
            return Double(body).map { sign * $0 }
        }
    }

    /// Parses a metric like `name{a="b"}` or `{a="b"}` (only `=` matchers) into a label set.
    public static func metric(_ text: String) throws(PromQLError) -> Labels {
        let trimmed = text.filter { $0 != " " }
        if trimmed.isEmpty || trimmed == "{}" { return Labels() }
        let selector = try Parser.parseSelector(text)
        var labels: [Label] = []
        for matcher in selector.matchers {
            guard matcher.operation == .equal else {
                throw PromQLError(parse: "expected only = in a series description, got \(matcher.operation.rawValue)", line: 1, column: 1)
            }
            if !matcher.value.isEmpty { labels.append(Label(matcher.name, matcher.value)) }
        }
        return Labels(labels)
    }
}
