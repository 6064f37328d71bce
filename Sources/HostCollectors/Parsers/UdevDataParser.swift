import HostFS

/// Parses a udev database file (`/run/udev/data/b8:0`): its `E:KEY=VALUE` property lines.
public enum UdevDataParser {
    public static func properties(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in TextScanning.lines(text) where line.hasPrefix("E:") {
            let body = line.dropFirst(2)
            guard let equals = body.firstIndex(of: "=") else { continue }
            result[String(body[..<equals])] = String(body[body.index(after: equals)...])
        }
        return result
    }
}
