import HostFS

/// Parses files of `name value` lines (`/proc/vmstat`).
public enum KeyValueParser {
    /// Parses every line whose name `keeping` accepts (all by default); others are not even converted.
    public static func parse(_ text: String, file: String, keeping: (Substring) -> Bool = { _ in true }) -> Parsed<[(String, Double)]> {
        var pairs: [(String, Double)] = []
        var issues: [ParseIssue] = []
        for (offset, line) in TextScanning.lines(text).enumerated() {
            // The name first: a well-formed line whose name is not kept is not split into an array.
            let name = Substring(TextScanning.leadingField(line))
            if !name.isEmpty, !keeping(name), TextScanning.fieldCount(line) == 2 { continue }
            let fields = TextScanning.fields(line)
            if fields.isEmpty { continue }
            guard fields.count != 2 || keeping(fields[0]) else { continue }
            guard fields.count == 2 else {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected \"name value\", got \"\(line)\""))
                continue
            }
            guard let value = NumberParsing.decimal(fields[1]) else {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected a number for \(fields[0]), got \"\(fields[1])\""))
                continue
            }
            pairs.append((String(fields[0]), value))
        }
        return Parsed(pairs, issues: issues)
    }
}
