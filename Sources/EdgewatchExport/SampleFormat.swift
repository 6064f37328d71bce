import EdgewatchCore
import EdgewatchEncoding
import EdgewatchExposition

/// How samples are written: OpenMetrics text (what `promtool tsdb create-blocks-from openmetrics`
/// reads), JSON lines or CSV, one sample per line. Rollups are written as their five aggregates
/// in JSON lines and CSV, and as the bucket's last value in OpenMetrics (as `edgewatch query` does).
public enum SampleFormat: String, Sendable, CaseIterable {
    case openmetrics, jsonl, csv

    static let rollupColumns = ["min", "max", "sum", "count", "last"]

    /// The part's file name in a bundle.
    public var fileName: String {
        switch self {
        case .openmetrics: return "metrics.om"
        case .jsonl: return "metrics.jsonl"
        case .csv: return "metrics.csv"
        }
    }

    /// Text before the first sample.
    func header() -> String {
        switch self {
        case .openmetrics, .jsonl: return ""
        case .csv: return "name,labels,timestamp_ms,resolution,value,min,max,sum,count\n"
        }
    }

    /// Text after the last sample.
    func footer() -> String { self == .openmetrics ? "# EOF\n" : "" }

    /// The metadata lines that start a family (OpenMetrics only).
    func familyHeader(_ key: SeriesKey) -> String {
        guard self == .openmetrics else { return "" }
        let header = OpenMetricsWriter().render([MetricFamily(name: key.name, help: "", type: key.type)])
        // The store keeps no help text; an empty HELP line is left out.
        return header.split(separator: "\n").filter { $0.hasPrefix("# TYPE") }.map { $0 + "\n" }.joined()
    }

    /// One sample line; `labels` is the key's encoded label set (computed once per series).
    func line(_ key: SeriesKey, labels: String, tier: Tier, timestamp: Int64, values: [Double], into output: inout String) {
        let rollup = tier != .raw && values.count == 5
        switch self {
        case .openmetrics:
            output += key.name
            if !key.labels.isEmpty { output += labels }
            output += " " + SampleValueFormat.number(values.last ?? .nan) + " " + Self.seconds(timestamp) + "\n"
        case .jsonl:
            output += "{\"name\":" + SampleValueFormat.jsonString(key.name) + ",\"labels\":" + SampleValueFormat.jsonObject(key.labels)
            output += ",\"timestamp_ms\":" + String(timestamp) + ",\"resolution\":\"" + tier.name + "\""
            if rollup {
                for (name, value) in zip(Self.rollupColumns, values) { output += ",\"" + name + "\":" + SampleValueFormat.jsonNumber(value) }
                output += ",\"value\":" + SampleValueFormat.jsonNumber(values[4])
            } else {
                output += ",\"value\":" + SampleValueFormat.jsonNumber(values.first ?? .nan)
            }
            output += "}\n"
        case .csv:
            output +=
                SampleValueFormat.csvField(key.name) + "," + SampleValueFormat.csvField(labels) + "," + String(timestamp) + "," + tier.name + ","
            if rollup {
                output += SampleValueFormat.number(values[4]) + "," + values[0..<4].map(SampleValueFormat.number).joined(separator: ",")
            } else {
                output += SampleValueFormat.number(values.first ?? .nan) + ",,,,"
            }
            output += "\n"
        }
    }

    /// Milliseconds as OpenMetrics seconds ("1700000000.5").
    static func seconds(_ milliseconds: Int64) -> String {
        let whole = milliseconds >= 0 ? milliseconds / 1000 : -((-milliseconds + 999) / 1000)
        let fraction = milliseconds - whole * 1000
        guard fraction != 0 else { return String(whole) }
        var digits = String(fraction)
        while digits.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return String(whole) + "." + digits
    }
}
