import EdgewatchCore

/// node_exporter's `sockstat`: socket counts and memory per protocol from /proc/net/sockstat{,6}.
public struct SockstatCollector: Collector {
    public let name = "sockstat"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let text = try context.proc.tree.required("net/sockstat")
        add(
            SockstatParser.parse(text, file: context.proc.tree.path("net/sockstat")),
            into: &metrics,
            issues: &issues,
            pageSize: context.kernel.pageSize
        )
        if let text6 = try? context.proc.tree.readText("net/sockstat6") {
            add(
                SockstatParser.parse(text6, file: context.proc.tree.path("net/sockstat6")),
                into: &metrics,
                issues: &issues,
                pageSize: context.kernel.pageSize
            )
        }
    }

    private func add(_ parsed: Parsed<[(String, String, Double)]>, into metrics: inout MetricSet, issues: inout [ParseIssue], pageSize: Int) {
        issues += parsed.issues
        for (proto, field, value) in parsed.value {
            if proto == "sockets" {
                metrics.add("node_sockstat_sockets_\(field)", "Number of IPv4 sockets in use.", .gauge, value)
                continue
            }
            metrics.add("node_sockstat_\(proto)_\(field)", "Number of \(proto) sockets in state \(field).", .gauge, value)
            if field == "mem" {
                metrics.add("node_sockstat_\(proto)_mem_bytes", "Number of \(proto) sockets in state mem_bytes.", .gauge, value * Double(pageSize))
            }
        }
    }
}
