import EdgewatchCore

/// Writes samples as a JSON array, one object per sample:
/// `{"name":…,"labels":{…},"value":…,"timestamp_ms":…}`.
///
/// JSON has no NaN or infinities, so those values are written as the strings `"NaN"`,
/// `"+Inf"` and `"-Inf"`.
public struct JSONSampleWriter: Sendable {
    public init() {}

    /// Renders all samples of `snapshot` as a JSON array, one sample per line.
    public func render(_ snapshot: MetricSnapshot) -> String {
        var output = "["
        var first = true
        let timestamp = String(snapshot.timestampMilliseconds)
        for family in snapshot.families {
            for sample in family.samples {
                output += first ? "\n" : ",\n"
                first = false
                output += "{\"name\":\""
                SampleValueFormat.escapeJSON(family.name, into: &output)
                output += "\",\"labels\":{"
                var firstLabel = true
                for label in sample.labels {
                    if !firstLabel { output += "," }
                    firstLabel = false
                    output += "\""
                    SampleValueFormat.escapeJSON(label.name, into: &output)
                    output += "\":\""
                    SampleValueFormat.escapeJSON(label.value, into: &output)
                    output += "\""
                }
                output += "},\"value\":"
                output += SampleValueFormat.jsonNumber(sample.value)
                output += ",\"timestamp_ms\":" + timestamp + "}"
            }
        }
        output += first ? "]\n" : "\n]\n"
        return output
    }
}
