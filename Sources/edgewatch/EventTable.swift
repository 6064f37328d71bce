import EdgewatchCore

/// Events as `kubectl get events -A` prints them: namespace, age of the last occurrence, type,
/// reason, object as `kind/name`, message — plus the count and where the event came from.
enum EventTable {
    static func render(_ events: [EventRecord], now: Int64) -> String {
        guard !events.isEmpty else { return "No events found.\n" }
        var rows: [[String]] = [["NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "COUNT", "SOURCE", "MESSAGE"]]
        for event in events {
            rows.append([
                event.object.namespace.isEmpty ? "-" : event.object.namespace,
                age(now - event.time),
                event.type,
                event.reason,
                event.object.kind.lowercased() + "/" + event.object.name,
                String(event.count),
                event.source.rawValue,
                event.message.split(whereSeparator: \.isNewline).joined(separator: " "),
            ])
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        var text = ""
        for row in rows {
            var line = ""
            for (column, cell) in row.enumerated() {
                line += column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 3)
            }
            text += line + "\n"
        }
        return text
    }

    /// kubectl's short age: `45s`, `12m`, `5h`, `3d` (negative ages — a future time — read `0s`).
    static func age(_ milliseconds: Int64) -> String {
        let seconds = max(milliseconds, 0) / 1000
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        if seconds < 172_800 { return "\(seconds / 3600)h" }
        return "\(seconds / 86_400)d"
    }
}
