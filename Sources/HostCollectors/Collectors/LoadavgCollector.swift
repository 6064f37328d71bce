import EdgewatchCore

/// node_exporter's `loadavg`: node_load1, node_load5, node_load15 from /proc/loadavg.
public struct LoadavgCollector: Collector {
    public let name = "loadavg"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let text = try context.proc.tree.required("loadavg")
        let parsed = LoadavgParser.parse(text, file: context.proc.tree.path("loadavg"))
        issues += parsed.issues
        guard let (one, five, fifteen) = parsed.value else { throw .failed("unreadable /proc/loadavg") }
        metrics.add("node_load1", "1m load average.", .gauge, one)
        metrics.add("node_load5", "5m load average.", .gauge, five)
        metrics.add("node_load15", "15m load average.", .gauge, fifteen)
    }
}
