import HostFS

/// Parses os-release(5): `KEY=value` lines with shell-style quoting and comments.
public enum OSReleaseParser {
    public static func parse(_ text: String, file: String) -> Parsed<[String: String]> {
        var values: [String: String] = [:]
        var issues: [ParseIssue] = []
        for (offset, rawLine) in TextScanning.lines(text).enumerated() {
            let line = TextScanning.trimmed(rawLine)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "="), equals != line.startIndex else {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected KEY=value, got \"\(line)\""))
                continue
            }
            let key = String(line[..<equals])
            guard key.allSatisfy({ $0 == "_" || $0.isASCIIDigit || ("A"..."Z").contains($0) || ("a"..."z").contains($0) }) else {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected a variable name before '=', got \"\(key)\""))
                continue
            }
            guard let value = unquote(line[line.index(after: equals)...]) else {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "unterminated quote in value of \(key)"))
                continue
            }
            values[key] = value
        }
        return Parsed(values, issues: issues)
    }

    /// Removes shell quoting: `"a \"b\""`, `'c'`, or bare words with backslash escapes.
    static func unquote(_ raw: Substring) -> String? {
        var result = ""
        var quote: Character?
        var escaped = false
        for character in raw {
            if escaped {
                result.append(character)
                escaped = false
                continue
            }
            switch (quote, character) {
            case (nil, "\""), (nil, "'"):
                quote = character
            case (let open?, _) where character == open:
                quote = nil
            case (let open, "\\") where open != "'":
                escaped = true
            default:
                result.append(character)
            }
        }
        return quote == nil && !escaped ? result : nil
    }
}
