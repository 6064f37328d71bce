import EdgewatchEncoding
import EdgewatchExposition

/// A line of `staleness.jsonl`: a Prometheus staleness marker (the series ended at that instant),
/// which OpenMetrics cannot carry: `{"name":…,"labels":{…},"type":"gauge","timestamp_ms":…}`.
enum StalenessLine {
    static let fileName = "staleness.jsonl"

    static func render(_ key: SeriesKey, timestamp: Int64) -> String {
        "{\"name\":" + SampleValueFormat.jsonString(key.name) + ",\"labels\":" + SampleValueFormat.jsonObject(key.labels)
            + ",\"type\":\"" + key.type.rawValue + "\",\"timestamp_ms\":" + String(timestamp) + "}\n"
    }
}
