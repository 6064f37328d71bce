import HostFS

/// Totals of one PSI file (`/proc/pressure/io`), in microseconds.
public struct PressureTotals: Sendable, Hashable {
    public var someTotal: Double?
    public var fullTotal: Double?
}

/// Parses `some avg10=0.00 avg60=0.00 avg300=0.00 total=12345` / `full …` lines.
public enum PressureParser {
    public static func parse(_ text: String, file: String) -> Parsed<PressureTotals> {
        var totals = PressureTotals()
        var issues: [ParseIssue] = []
        for (offset, line) in TextScanning.lines(text).enumerated() {
            let fields = TextScanning.fields(line)
            guard let kind = fields.first else { continue }
            guard kind == "some" || kind == "full" else {
                issues.append(
                    ParseIssue(file: file, line: offset + 1, message: "expected a line starting with \"some\" or \"full\", got \"\(line)\"")
                )
                continue
            }
            let total = fields.dropFirst().first { $0.hasPrefix("total=") }.flatMap { NumberParsing.decimal($0.dropFirst(6)) }
            guard let total else {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected \"total=<microseconds>\" on the \(kind) line"))
                continue
            }
            if kind == "some" { totals.someTotal = total } else { totals.fullTotal = total }
        }
        return Parsed(totals, issues: issues)
    }
}
