import EdgewatchCore

/// node_exporter's `meminfo`: one node_memory_* gauge per /proc/meminfo line (kB converted to bytes).
public struct MeminfoCollector: Collector {
    public let name = "meminfo"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let text = try context.proc.tree.required("meminfo")
        let parsed = MeminfoParser.parse(text, file: context.proc.tree.path("meminfo"))
        issues += parsed.issues
        guard !parsed.value.isEmpty else { throw .failed("no entries in /proc/meminfo") }
        for entry in parsed.value {
            metrics.add("node_memory_" + entry.metricSuffix, "Memory information field \(entry.metricSuffix).", .gauge, entry.value)
        }
    }
}
