import HostFS

/// One `/proc/meminfo` entry, named as node_exporter names it.
public struct MeminfoEntry: Hashable, Sendable {
    /// The metric suffix: `MemTotal_bytes`, `Active_anon_bytes`, `HugePages_Total`.
    public var metricSuffix: String
    public var value: Double
}

/// Parses `/proc/meminfo`: `Name:   value [kB]` per line.
public enum MeminfoParser {
    public static func parse(_ text: String, file: String) -> Parsed<[MeminfoEntry]> {
        var entries: [MeminfoEntry] = []
        var issues: [ParseIssue] = []
        for (offset, line) in TextScanning.lines(text).enumerated() {
            let fields = TextScanning.fields(line)
            if fields.isEmpty { continue }
            guard fields.count == 2 || fields.count == 3, fields[0].utf8.last == UInt8(ascii: ":"), fields[0].utf8.count > 1 else {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected \"Name: value [kB]\", got \"\(line)\""))
                continue
            }
            guard let number = NumberParsing.decimal(fields[1]) else {
                issues.append(
                    ParseIssue(file: file, line: offset + 1, message: "expected a number for \(fields[0].dropLast()), got \"\(fields[1])\"")
                )
                continue
            }
            if fields.count == 3, !fields[2].utf8.elementsEqual("kB".utf8) {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected unit kB, got \"\(fields[2])\""))
                continue
            }
            var name = metricName(fields[0].dropLast())
            var value = number
            if fields.count == 3 {
                value *= 1024
                name += "_bytes"
            }
            entries.append(MeminfoEntry(metricSuffix: name, value: value))
        }
        return Parsed(entries, issues: issues)
    }

    /// `Active(anon)` → `Active_anon`, as node_exporter rewrites parenthesised names.
    static func metricName(_ key: Substring) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(key.utf8.count)
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "("): bytes.append(UInt8(ascii: "_"))
            case UInt8(ascii: ")"): continue
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
