import EdgewatchCore
import HostFS

/// node_exporter's `time`: wall clock, local zone offset and the kernel's clock sources.
public struct TimeCollector: Collector {
    public let name = "time"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let now = context.kernel.wallTime()
        metrics.add("node_time_seconds", "System time in seconds since epoch (1970).", .gauge, now.seconds)
        metrics.add(
            "node_time_zone_offset_seconds",
            "System time zone offset in seconds.",
            .gauge,
            Double(now.zoneOffsetSeconds),
            ["time_zone": now.zoneName]
        )
        let tree = context.sys.tree
        for name in tree.entries("devices/system/clocksource", prefix: "clocksource") {
            let device = String(name.dropFirst("clocksource".count))
            guard NumberParsing.unsigned(device) != nil else { continue }
            let base = "devices/system/clocksource/\(name)"
            if let available = tree.optionalValue(base + "/available_clocksource") {
                for source in TextScanning.fields(available) {
                    metrics.add(
                        "node_time_clocksource_available_info",
                        "Available clocksources read from '/sys/devices/system/clocksource'.",
                        .gauge,
                        1,
                        ["clocksource": String(source), "device": device]
                    )
                }
            }
            if let current = tree.optionalValue(base + "/current_clocksource") {
                metrics.add(
                    "node_time_clocksource_current_info",
                    "Current clocksource read from '/sys/devices/system/clocksource'.",
                    .gauge,
                    1,
                    ["clocksource": current, "device": device]
                )
            }
        }
    }
}
