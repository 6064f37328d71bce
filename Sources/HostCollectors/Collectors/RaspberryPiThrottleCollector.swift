import EdgewatchCore
import HostFS

/// Raspberry Pi firmware throttling: under-voltage, frequency capping, throttling and the soft
/// temperature limit, now and since boot, each a 0/1 gauge.
public struct RaspberryPiThrottleCollector: Collector {
    public let name = "rpi_throttle"
    public init() {}

    static let path = "devices/platform/soc/soc:firmware/get_throttled"

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let text = try context.sys.tree.required(Self.path)
        guard let flags = ThrottledFlags(text: text) else {
            issues.append(
                ParseIssue(
                    file: context.sys.tree.path(Self.path),
                    line: 1,
                    message: "expected a hexadecimal bitmask like 50005, got \"\(TextScanning.trimmed(text.prefix(40)))\""
                )
            )
            throw .failed("unreadable \(Self.path)")
        }
        metrics.add("edgewatch_rpi_throttled_flags", "Raw Raspberry Pi firmware get_throttled bitmask.", .gauge, Double(flags.raw))
        let help = "Raspberry Pi firmware throttling condition: 1 if it holds now (scope=now) or has occurred since boot (scope=since_boot)."
        for condition in ThrottledFlags.Condition.allCases {
            metrics.add(
                "edgewatch_rpi_throttle_state",
                help,
                .gauge,
                flags.isActive(condition) ? 1 : 0,
                ["condition": condition.rawValue, "scope": "now"]
            )
            metrics.add(
                "edgewatch_rpi_throttle_state",
                help,
                .gauge,
                flags.hasOccurred(condition) ? 1 : 0,
                ["condition": condition.rawValue, "scope": "since_boot"]
            )
        }
    }
}
