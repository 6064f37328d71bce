import EdgewatchCore

/// Writes metric families in the Prometheus text format 0.0.4 (what scrapers get unless they
/// ask for OpenMetrics): counters are declared under their full `_total` name, untyped families
/// as `untyped`, and there is no `# EOF`.
public struct PrometheusTextWriter: Sendable {
    public init() {}

    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public func render(_ families: [MetricFamily]) -> String {
        var output = ""
        output.reserveCapacity(families.count * 256)
        for family in families {
            let typeName: String
            switch family.type {
            case .counter: typeName = "counter"
            case .gauge: typeName = "gauge"
            case .unknown: typeName = "untyped"
            }
            SampleLines.write(family, declaredName: family.name, typeName: typeName, escapeQuotesInHelp: false, into: &output)
        }
        return output
    }
}
