import HostFS

/// Counters of one interface from `/proc/net/dev`.
public struct NetDevStats: Sendable, Hashable {
    public var device: String
    /// bytes packets errs drop fifo frame compressed multicast.
    public var receive: [Double]
    /// bytes packets errs drop fifo colls carrier compressed.
    public var transmit: [Double]
}

/// Parses `/proc/net/dev`: two header lines, then `iface: 8 receive and 8 transmit counters`.
public enum NetDevParser {
    public static let receiveNames = ["bytes", "packets", "errs", "drop", "fifo", "frame", "compressed", "multicast"]
    public static let transmitNames = ["bytes", "packets", "errs", "drop", "fifo", "colls", "carrier", "compressed"]

    public static func parse(_ text: String, file: String) -> Parsed<[NetDevStats]> {
        var result: [NetDevStats] = []
        var issues: [ParseIssue] = []
        for (offset, line) in TextScanning.lines(text).enumerated() {
            if line.utf8.contains(UInt8(ascii: "|")) || TextScanning.trimmed(line).isEmpty { continue }
            guard let colon = line.lastIndex(of: ":") else {
                issues.append(ParseIssue(file: file, line: offset + 1, message: "expected \"interface: counters…\", got \"\(line)\""))
                continue
            }
            let device = TextScanning.trimmed(line[..<colon])
            let values = TextScanning.fields(line[line.index(after: colon)...]).map { NumberParsing.decimal($0) }
            guard !device.isEmpty, values.count == 16, !values.contains(where: { $0 == nil }) else {
                issues.append(
                    ParseIssue(file: file, line: offset + 1, message: "expected 16 numeric counters for \"\(device)\", got \(values.count) fields")
                )
                continue
            }
            let numbers = values.compactMap { $0 }
            result.append(NetDevStats(device: device, receive: Array(numbers[0..<8]), transmit: Array(numbers[8..<16])))
        }
        return Parsed(result, issues: issues)
    }
}
