import EdgewatchCore

/// node_exporter's `uname`: node_uname_info labelled with the uname(2) fields.
public struct UnameCollector: Collector {
    public let name = "uname"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        guard let identity = context.kernel.identity() else { throw .failed("uname(2) failed") }
        metrics.add(
            "node_uname_info",
            "Labeled system information as provided by the uname system call.",
            .gauge,
            1,
            Labels([
                Label("sysname", identity.sysname), Label("release", identity.release), Label("version", identity.version),
                Label("machine", identity.machine), Label("nodename", identity.nodename), Label("domainname", identity.domainname),
            ])
        )
    }
}
