import EdgewatchCore
import EdgewatchEncoding
import EdgewatchExposition
import EdgewatchStore

/// Renders query results as JSON, CSV or OpenMetrics (with sample timestamps).
enum QueryOutput {
    static let rollupColumns = ["min", "max", "sum", "count", "last"]

    static func render(_ series: [StoredSeries], gaps: [GapRecord], tier: Tier, format: QueryCommand.Format) -> String {
        switch format {
        case .json: return json(series, gaps: gaps, tier: tier)
        case .csv: return csv(series, tier: tier)
        case .openmetrics: return openMetrics(series, tier: tier)
        }
    }

    static func json(_ series: [StoredSeries], gaps: [GapRecord], tier: Tier) -> String {
        var output = "{\"resolution\":\"\(tier.name)\",\"columns\":["
        output += (tier == .raw ? ["value"] : rollupColumns).map { "\"\($0)\"" }.joined(separator: ",")
        output += "],\"series\":["
        for (index, entry) in series.enumerated() {
            output += index == 0 ? "\n" : ",\n"
            output += "{\"name\":" + SampleValueFormat.jsonString(entry.key.name) + ",\"labels\":"
            output += SampleValueFormat.jsonObject(entry.key.labels) + ",\"points\":["
            output += entry.points.map { point in
                "[" + String(point.0) + "," + point.1.map(SampleValueFormat.jsonNumber).joined(separator: ",") + "]"
            }.joined(separator: ",")
            output += "]}"
        }
        output += "],\n\"gaps\":["
        output += gaps.map {
            "{\"resolution\":\"\($0.tier.name)\",\"kind\":\"\($0.kind.rawValue)\",\"start_ms\":\($0.start),\"end_ms\":\($0.end)}"
        }.joined(separator: ",")
        return output + "]}\n"
    }

    static func csv(_ series: [StoredSeries], tier: Tier) -> String {
        var output = "name,labels,timestamp_ms," + (tier == .raw ? "value" : rollupColumns.joined(separator: ",")) + "\n"
        for entry in series {
            let labels = SampleValueFormat.csvField(entry.key.encodedLabels)
            for point in entry.points {
                output +=
                    SampleValueFormat.csvField(entry.key.name) + "," + labels + "," + String(point.0) + ","
                    + point.1.map(SampleValueFormat.number).joined(separator: ",") + "\n"
            }
        }
        return output
    }

    /// Raw points as samples with timestamps; for rollups the bucket's last value.
    static func openMetrics(_ series: [StoredSeries], tier: Tier) -> String {
        var output = ""
        var lastName = ""
        for entry in series {
            if entry.key.name != lastName {
                lastName = entry.key.name
                let family = MetricFamily(name: entry.key.name, help: "", type: entry.key.type)
                let header = OpenMetricsWriter().render([family])
                output += header.replacingEOF()
            }
            let labels = entry.key.labels.isEmpty ? "" : entry.key.encodedLabels
            for point in entry.points {
                let value = point.1.last ?? .nan
                let seconds = Double(point.0) / 1000
                output += entry.key.name + labels + " " + SampleValueFormat.number(value) + " " + String(seconds) + "\n"
            }
        }
        return output + "# EOF\n"
    }
}

extension String {
    /// The text without its trailing `# EOF` line.
    func replacingEOF() -> String {
        hasSuffix("# EOF\n") ? String(dropLast("# EOF\n".count)) : self
    }
}
