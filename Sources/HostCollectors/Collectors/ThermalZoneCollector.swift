import EdgewatchCore
import HostFS

/// node_exporter's `thermal_zone`: zone temperatures and cooling device states from /sys/class/thermal.
public struct ThermalZoneCollector: Collector {
    public let name = "thermal_zone"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let tree = context.sys.tree
        let entries = try tree.requiredListing("class/thermal")
        for entry in entries {
            let base = "class/thermal/\(entry.name)"
            if entry.name.hasPrefix("thermal_zone") {
                let zone = String(entry.name.dropFirst("thermal_zone".count))
                // A zone whose sensor is offline answers EAGAIN/ENODATA: skipped, as node_exporter does.
                guard let type = tree.optionalValue(base + "/type"), let text = tree.optionalValue(base + "/temp") else { continue }
                guard let milli = NumberParsing.decimal(text) else {
                    issues.append(ParseIssue(file: tree.path(base + "/temp"), line: 1, message: "expected millidegrees Celsius, got \"\(text)\""))
                    continue
                }
                metrics.add("node_thermal_zone_temp", "Zone temperature in Celsius", .gauge, milli / 1000, ["type": type, "zone": zone])
            } else if entry.name.hasPrefix("cooling_device") {
                let device = String(entry.name.dropFirst("cooling_device".count))
                guard let type = tree.optionalValue(base + "/type") else { continue }
                let labels: Labels = ["name": device, "type": type]
                if let current = tree.optionalValue(base + "/cur_state").flatMap(NumberParsing.decimal),
                    let maximum = tree.optionalValue(base + "/max_state").flatMap(NumberParsing.decimal)
                {
                    metrics.add("node_cooling_device_cur_state", "Current throttle state of the cooling device", .gauge, current, labels)
                    metrics.add("node_cooling_device_max_state", "Maximum throttle state of the cooling device", .gauge, maximum, labels)
                }
            }
        }
    }
}
