import HostFS

/// Parses `/proc/loadavg`: `0.52 0.58 0.59 2/345 12345`.
public enum LoadavgParser {
    /// The 1, 5 and 15 minute load averages.
    public static func parse(_ text: String, file: String) -> Parsed<(Double, Double, Double)?> {
        let fields = TextScanning.fields(text)
        guard fields.count >= 3,
            let one = NumberParsing.decimal(fields[0]),
            let five = NumberParsing.decimal(fields[1]),
            let fifteen = NumberParsing.decimal(fields[2])
        else {
            let issue = ParseIssue(
                file: file,
                line: 1,
                message: "expected three load averages like \"0.52 0.58 0.59 …\", got \"\(TextScanning.trimmed(text.prefix(80)))\""
            )
            return Parsed(nil, issues: [issue])
        }
        return Parsed((one, five, fifteen))
    }
}
