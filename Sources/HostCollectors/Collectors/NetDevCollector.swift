import EdgewatchCore
import HostFS

/// node_exporter's `netdev`: receive/transmit counters per interface (`lo` excluded). On the live
/// system they come from one rtnetlink dump, as node_exporter's default mode reads them
/// (`receive_nohandler` included); over another procfs root (a fixture, a mounted host) from its
/// /proc/net/dev, as node_exporter's `--no-collector.netdev.netlink`.
public struct NetDevCollector: Collector {
    public let name = "netdev"
    public init() {}

    /// node_exporter's names for the netlink counters it reports.
    static let netlinkFieldNames: [(String, LinkStatistics.Field)] = [
        ("receive_bytes", .rxBytes), ("receive_packets", .rxPackets), ("receive_errs", .rxErrors), ("receive_drop", .rxDropped),
        ("receive_fifo", .rxFifoErrors), ("receive_frame", .rxFrameErrors), ("receive_compressed", .rxCompressed),
        ("receive_multicast", .multicast), ("receive_nohandler", .rxNohandler), ("transmit_bytes", .txBytes),
        ("transmit_packets", .txPackets), ("transmit_errs", .txErrors), ("transmit_drop", .txDropped), ("transmit_fifo", .txFifoErrors),
        ("transmit_colls", .collisions), ("transmit_carrier", .txCarrierErrors), ("transmit_compressed", .txCompressed),
    ]

    /// Each netlink field's metric name and help, made once.
    static let netlinkFields: [(name: String, help: String, field: LinkStatistics.Field)] = netlinkFieldNames.map { field, index in
        ("node_network_\(field)_total", "Network device statistic \(field).", index)
    }

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        if context.proc.tree.root == "/proc", let links = context.kernel.linkStatistics() {
            for link in links where link.name != "lo" {
                let labels: Labels = ["device": link.name]
                for field in Self.netlinkFields {
                    metrics.add(field.name, field.help, .counter, Double(link[field.field]), labels)
                }
            }
            return
        }
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
