import EdgewatchCore
import HostFS

/// node_exporter's `netclass`: link state, carrier, speed, MTU and identity per interface from /sys/class/net.
public struct NetClassCollector: Collector {
    public let name = "netclass"
    public init() {}

    /// Attributes that describe an interface rather than its state: re-read every few minutes.
    static let identityFiles: Set<String> = [
        "address", "broadcast", "addr_assign_type", "dev_id", "ifindex", "iflink", "link_mode", "name_assign_type",
        "netdev_group", "type", "ifalias", "tx_queue_len",
    ]

    /// (sysfs file, metric, help, type, scale).
    static let numericFiles: [(String, String, String, MetricType, Double)] = [
        ("addr_assign_type", "node_network_address_assign_type", "Network device property: address_assign_type", .gauge, 1),
        ("carrier", "node_network_carrier", "Network device property: carrier", .gauge, 1),
        ("carrier_changes", "node_network_carrier_changes_total", "Network device property: carrier_changes_total", .counter, 1),
        ("carrier_up_count", "node_network_carrier_up_changes_total", "Network device property: carrier_up_changes_total", .counter, 1),
        ("carrier_down_count", "node_network_carrier_down_changes_total", "Network device property: carrier_down_changes_total", .counter, 1),
        ("dev_id", "node_network_device_id", "Network device property: device_id", .gauge, 1),
        ("dormant", "node_network_dormant", "Network device property: dormant", .gauge, 1),
        ("flags", "node_network_flags", "Network device property: flags", .gauge, 1),
        ("ifindex", "node_network_iface_id", "Network device property: iface_id", .gauge, 1),
        ("iflink", "node_network_iface_link", "Network device property: iface_link", .gauge, 1),
        ("link_mode", "node_network_iface_link_mode", "Network device property: iface_link_mode", .gauge, 1),
        ("mtu", "node_network_mtu_bytes", "Network device property: mtu_bytes", .gauge, 1),
        ("name_assign_type", "node_network_name_assign_type", "Network device property: name_assign_type", .gauge, 1),
        ("netdev_group", "node_network_net_dev_group", "Network device property: net_dev_group", .gauge, 1),
        ("speed", "node_network_speed_bytes", "Network device property: speed_bytes", .gauge, 125_000),
        ("tx_queue_len", "node_network_transmit_queue_length", "Network device property: transmit_queue_length", .gauge, 1),
        ("type", "node_network_protocol_type", "Network device property: protocol_type", .gauge, 1),
    ]

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let tree = context.sys.tree
        let entries = try tree.requiredListing("class/net")
        for entry in entries where entry.kind != .file {
            let base = "class/net/\(entry.name)"
            // A link that is not a directory (bonding_masters) or an interface that just vanished.
            guard let directory = try? DirectoryHandle(tree, base) else { continue }
            let labels: Labels = ["device": entry.name]
            let operstate = directory.value("operstate") ?? ""
            let cache = context.cache
            func value(_ file: String) -> String? {
                guard Self.identityFiles.contains(file) else { return directory.value(file) }
                return cache.value("netclass/\(entry.name)/\(file)") { directory.value(file) }
            }
            metrics.add("node_network_up", "Value is 1 if operstate is 'up', 0 otherwise.", .gauge, operstate == "up" ? 1 : 0, labels)
            metrics.add(
                "node_network_info",
                "Non-numeric data from /sys/class/net/<iface>, value is always 1.",
                .gauge,
                1,
                Labels([
                    Label("device", entry.name),
                    Label("address", value("address") ?? ""),
                    Label("broadcast", value("broadcast") ?? ""),
                    Label("duplex", directory.value("duplex") ?? ""),
                    Label("operstate", operstate),
                    Label("ifalias", value("ifalias") ?? ""),
                ])
            )
            for (file, metric, help, type, scale) in Self.numericFiles {
                guard let text = value(file) else { continue }
                guard let value = Self.integer(text) else {
                    issues.append(ParseIssue(file: directory.path + "/" + file, line: 1, message: "expected an integer, got \"\(text)\""))
                    continue
                }
                metrics.add(metric, help, type, value * scale, labels)
            }
        }
    }

    /// A decimal integer, or hexadecimal with a `0x` prefix (`flags`, `dev_id`).
    static func integer(_ text: String) -> Double? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            return NumberParsing.hexadecimal(text).map { Double($0) }
        }
        return NumberParsing.signed(text).map { Double($0) }
    }
}
