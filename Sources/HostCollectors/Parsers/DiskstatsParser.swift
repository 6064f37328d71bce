import HostFS

/// One line of `/proc/diskstats`.
public struct DiskStats: Sendable, Hashable {
    public var major: String
    public var minor: String
    public var device: String
    /// The statistics after the device name: 11, 15 or 17 counters depending on the kernel.
    public var counters: [Double]
}

/// Parses `/proc/diskstats`: `major minor name` followed by 11 (≥2.6), 15 (≥4.18) or 17 (≥5.5) numbers.
public enum DiskstatsParser {
    public static func parse(_ text: String, file: String) -> Parsed<[DiskStats]> {
        var disks: [DiskStats] = []
        var issues: [ParseIssue] = []
        for (offset, line) in TextScanning.lines(text).enumerated() {
            let fields = TextScanning.fields(line)
            if fields.isEmpty { continue }
            guard fields.count >= 14, NumberParsing.unsigned(fields[0]) != nil, NumberParsing.unsigned(fields[1]) != nil else {
                issues.append(
                    ParseIssue(
                        file: file,
                        line: offset + 1,
                        message: "expected \"major minor device\" and at least 11 counters, got \(fields.count) fields"
                    )
                )
                continue
            }
            let counters = fields.dropFirst(3).map { NumberParsing.decimal($0) }
            if let bad = counters.firstIndex(where: { $0 == nil }) {
                issues.append(
                    ParseIssue(
                        file: file,
                        line: offset + 1,
                        message: "expected a number in column \(bad + 1) for \(fields[2]), got \"\(fields[bad])\""
                    )
                )
                continue
            }
            disks.append(
                DiskStats(major: String(fields[0]), minor: String(fields[1]), device: String(fields[2]), counters: counters.compactMap { $0 })
            )
        }
        return Parsed(disks, issues: issues)
    }
}
