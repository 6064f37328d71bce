import EdgewatchCore

/// Writes metric families as OpenMetrics 1.0 text, ending with `# EOF`.
///
/// Counters are declared under their name without `_total` and their samples keep the suffix,
/// as OpenMetrics requires; untyped families carry no TYPE line (OpenMetrics `unknown`), which
/// Prometheus text parsers also accept.
public struct OpenMetricsWriter: Sendable {
    public init() {}

    /// The media type to announce over HTTP.
    public static let contentType = "application/openmetrics-text; version=1.0.0; charset=utf-8"

    /// Renders the families as a complete OpenMetrics document.
    public func render(_ families: [MetricFamily]) -> String {
        var output = ""
        output.reserveCapacity(families.count * 256)
        for family in families {
            write(family, into: &output)
        }
        output += "# EOF\n"
        return output
    }

    /// Appends one family (HELP, TYPE and samples) to `output`.
    public func write(_ family: MetricFamily, into output: inout String) {
        let declaredName: String
        let typeName: String?
        switch family.type {
        case .counter where family.name.hasSuffix("_total"):
            declaredName = String(family.name.dropLast("_total".count))
            typeName = "counter"
        case .counter, .unknown:
            declaredName = family.name
            typeName = nil
        case .gauge:
            declaredName = family.name
            typeName = "gauge"
        }
        SampleLines.write(family, declaredName: declaredName, typeName: typeName, escapeQuotesInHelp: true, into: &output)
    }
}
