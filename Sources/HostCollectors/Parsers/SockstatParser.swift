import HostFS

/// Parses `/proc/net/sockstat` and `sockstat6`: `PROTO: key value key value …`.
public enum SockstatParser {
    /// (protocol, field, value) triples, in file order.
    public static func parse(_ text: String, file: String) -> Parsed<[(String, String, Double)]> {
        var result: [(String, String, Double)] = []
        var issues: [ParseIssue] = []
        for (offset, line) in TextScanning.lines(text).enumerated() {
            let fields = TextScanning.fields(line)
            guard let head = fields.first else { continue }
            guard head.hasSuffix(":"), head.count > 1, fields.count % 2 == 1 else {
                issues.append(
                    ParseIssue(file: file, line: offset + 1, message: "expected \"PROTO: key value …\" with key/value pairs, got \"\(line)\"")
                )
                continue
            }
            let proto = String(head.dropLast())
            var pairs: [(String, String, Double)] = []
            var bad: Substring?
            var index = 1
            while index + 1 < fields.count {
                if let value = NumberParsing.decimal(fields[index + 1]) {
                    pairs.append((proto, String(fields[index]), value))
                } else {
                    bad = fields[index + 1]
                }
                index += 2
            }
            if let bad {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected numbers after each key of \(proto), got \"\(bad)\""))
                continue
            }
            result += pairs
        }
        return Parsed(result, issues: issues)
    }
}
