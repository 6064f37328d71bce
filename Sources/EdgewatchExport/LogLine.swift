import EdgewatchCore
import EdgewatchExposition

/// A line of `logs.jsonl`: `{"realtime_us":…,"time":…,"monotonic_us":…,"boot_id":…,"priority":…,
/// "unit":…,"message":…,"cursor":…,"source":"journal"|"captured"}`. `realtime_us` leads, so a
/// merge can read the time without parsing the line.
enum LogLine {
    static let fileName = "logs.jsonl"

    static func render(_ record: LogRecord, source: String) -> String {
        "{\"realtime_us\":" + String(record.realtimeMicroseconds) + ",\"time\":\""
            + RFC3339.format(milliseconds: record.milliseconds) + "\",\"monotonic_us\":" + String(record.monotonicMicroseconds)
            + ",\"boot_id\":" + SampleValueFormat.jsonString(record.bootID) + ",\"priority\":" + String(record.priority) + ",\"unit\":"
            + SampleValueFormat.jsonString(record.unit) + ",\"message\":" + SampleValueFormat.jsonString(record.message) + ",\"cursor\":"
            + SampleValueFormat.jsonString(record.cursor) + ",\"source\":\"" + source + "\"}\n"
    }

    /// The `realtime_us` of a rendered line.
    static func realtime(_ line: Substring) -> Int64? {
        let prefix = "{\"realtime_us\":"
        guard line.hasPrefix(prefix) else { return nil }
        return Int64(line.dropFirst(prefix.count).prefix { $0.isNumber })
    }
}
