import EdgewatchCore
import HostFS

/// node_exporter's `vmstat`: the default fields (oom_kill, pgpg*, pswp*, pg*fault) of /proc/vmstat.
public struct VmstatCollector: Collector {
    public let name = "vmstat"
    public init() {}

    /// node_exporter's default `--collector.vmstat.fields` `^(oom_kill|pgpg|pswp|pg.*fault).*`.
    static func isExported(_ field: Substring) -> Bool {
        if TextScanning.hasPrefix(field, "oom_kill") || TextScanning.hasPrefix(field, "pgpg") || TextScanning.hasPrefix(field, "pswp") { return true }
        return TextScanning.hasPrefix(field, "pg") && TextScanning.contains(field, "fault")
    }

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let text = try context.proc.tree.required("vmstat")
        let parsed = KeyValueParser.parse(text, file: context.proc.tree.path("vmstat"), keeping: Self.isExported)
        issues += parsed.issues
        for (field, value) in parsed.value {
            metrics.add("node_vmstat_" + field, "/proc/vmstat information field \(field).", .unknown, value)
        }
    }
}
