import EdgewatchCore

/// node_exporter's `netdev`: receive/transmit counters per interface from /proc/net/dev (`lo` excluded).
public struct NetDevCollector: Collector {
    public let name = "netdev"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let text = try context.proc.tree.required("net/dev")
        let parsed = NetDevParser.parse(text, file: context.proc.tree.path("net/dev"))
        issues += parsed.issues
        for interface in parsed.value where interface.device != "lo" {
            let labels: Labels = ["device": interface.device]
            for (index, field) in NetDevParser.receiveNames.enumerated() {
                metrics.add(
                    "node_network_receive_\(field)_total",
                    "Network device statistic receive_\(field).",
                    .counter,
                    interface.receive[index],
                    labels
                )
            }
            for (index, field) in NetDevParser.transmitNames.enumerated() {
                metrics.add(
                    "node_network_transmit_\(field)_total",
                    "Network device statistic transmit_\(field).",
                    .counter,
                    interface.transmit[index],
                    labels
                )
            }
        }
    }
}
