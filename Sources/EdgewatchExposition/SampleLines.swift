import EdgewatchCore

/// The HELP, TYPE and sample lines both text formats share.
enum SampleLines {
    /// `escapeQuotesInHelp`: OpenMetrics escapes `"` in HELP text, the Prometheus text format does not.
    static func write(_ family: MetricFamily, declaredName: String, typeName: String?, escapeQuotesInHelp: Bool, into output: inout String) {
        output += "# HELP "
        output += declaredName
        output += " "
        SampleValueFormat.escapeHelp(family.help, quotes: escapeQuotesInHelp, into: &output)
        output += "\n"
        if let typeName {
            output += "# TYPE \(declaredName) \(typeName)\n"
        }
        for sample in family.samples {
            output += family.name
            if !sample.labels.isEmpty {
                output += "{"
                var first = true
                for label in sample.labels {
                    if !first { output += "," }
                    first = false
                    output += label.name
                    output += "=\""
                    SampleValueFormat.escapeLabelValue(label.value, into: &output)
                    output += "\""
                }
                output += "}"
            }
            output += " "
            output += SampleValueFormat.number(sample.value)
            output += "\n"
        }
    }
}
