import EdgewatchCore
import HostFS

/// node_exporter's `hwmon`: temperatures, voltages, fans, currents, power and energy of every
/// hardware monitor under /sys/class/hwmon, with its chip and sensor naming.
public struct HwmonCollector: Collector {
    public let name = "hwmon"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let tree = context.sys.tree
        let entries = try tree.requiredListing("class/hwmon")
        for entry in entries {
            let directory = "class/hwmon/\(entry.name)"
            // Chip identity and sensor labels change with hardware, not per cycle: read once per refresh period.
            let cachedChip = context.cache.value("hwmon-chip:" + tree.path(directory)) { chipName(directory, tree: tree) }
            guard tree.isDirectory(directory), let chip = cachedChip else { continue }
            var sensors: [String: [String: String]] = [:]
            readSensors(directory, context: context, tree: tree, into: &sensors)
            if tree.isDirectory(directory + "/device") {
                readSensors(directory + "/device", context: context, tree: tree, into: &sensors)
            }
            if let raw = context.slowValue(directory + "/name", in: tree) {
                let chipName = HwmonNaming.clean(raw)
                if !chipName.isEmpty {
                    metrics.add(
                        "node_hwmon_chip_names",
                        "Annotation metric for human-readable chip names",
                        .gauge,
                        1,
                        ["chip": chip, "chip_name": chipName]
                    )
                }
            }
            for (sensor, properties) in sensors {
                emit(chip: chip, sensor: sensor, properties: properties, into: &metrics)
            }
        }
    }

    /// The chip label: device path, else the `name` file, else the hwmon directory's own name.
    func chipName(_ directory: String, tree: FileTree) -> String? {
        if let resolved = try? tree.resolve(directory + "/device"), let name = HwmonNaming.chipName(resolvedDevicePath: resolved) {
            return name
        }
        if let raw = tree.optionalValue(directory + "/name") {
            let clean = HwmonNaming.clean(raw)
            if !clean.isEmpty { return clean }
        }
        guard let resolved = try? tree.resolve(directory), let last = resolved.split(separator: "/").last else { return nil }
        let clean = HwmonNaming.clean(String(last))
        return clean.isEmpty ? nil : clean
    }

    private func readSensors(_ directory: String, context: CollectionContext, tree: FileTree, into sensors: inout [String: [String: String]]) {
        guard let files = try? tree.list(directory), let handle = try? DirectoryHandle(tree, directory) else { return }
        for file in files where file.kind == .file {
            guard let parts = HwmonNaming.explode(file.name), HwmonNaming.sensorTypes.contains(parts.type) else { continue }
            let label = parts.property == "label"
            let read =
                label
                ? context.cache.value("hwmon-label:" + tree.path(directory + "/" + file.name)) { handle.value(file.name) } : handle.value(file.name)
            guard let value = read else { continue }
            // node_exporter numbers sensors through an integer: `update_interval` → `update_interval0`.
            sensors[parts.type + String(Int(parts.index) ?? 0), default: [:]][parts.property] = value
        }
    }

    private func emit(chip: String, sensor: String, properties: [String: String], into metrics: inout MetricSet) {
        guard let type = HwmonNaming.explode(sensor)?.type else { return }
        let labels: Labels = ["chip": chip, "sensor": sensor]
        if let label = properties["label"], !label.isEmpty {
            metrics.add("node_hwmon_sensor_label", "Label for given chip and sensor", .gauge, 1, labels.adding("label", label))
        }
        switch type {
        case "beep_enable":
            metrics.add("node_hwmon_beep_enabled", "Hardware beep enabled", .gauge, properties[""] == "1" ? 1 : 0, labels)
            return
        case "vrm":
            if let value = properties[""].flatMap(NumberParsing.decimal) {
                metrics.add("node_hwmon_voltage_regulator_version", "Hardware voltage regulator", .gauge, value, labels)
            }
            return
        case "update_interval":
            if let value = properties[""].flatMap(NumberParsing.decimal) {
                metrics.add("node_hwmon_update_interval_seconds", "Hardware monitor update interval", .gauge, value * 0.001, labels)
            }
            return
        default:
            break
        }
        let prefix = "node_hwmon_" + type
        for (element, text) in properties where element != "label" {
            guard let value = NumberParsing.decimal(text) else { continue }
            var name = prefix
            if element == "input" {
                if properties[""] != nil { name += "_input" }
            } else if !element.isEmpty {
                name += "_" + HwmonNaming.clean(element)
            }
            let shown = element.isEmpty ? "input" : element
            switch (type, element) {
            case (_, "fault"), (_, "alarm"):
                metrics.add(name, "Hardware sensor \(element) status (\(type))", .gauge, value, labels)
            case (_, "beep"):
                metrics.add(name + "_enabled", "Hardware monitor sensor has beeping enabled", .gauge, value, labels)
            case ("in", _), ("cpu", _):
                metrics.add(name + "_volts", "Hardware monitor for voltage (\(shown))", .gauge, value * 0.001, labels)
            case ("temp", let element) where element != "type":
                metrics.add(name + "_celsius", "Hardware monitor for temperature (\(shown))", .gauge, value * 0.001, labels)
            case ("curr", _):
                metrics.add(name + "_amps", "Hardware monitor for current (\(shown))", .gauge, value * 0.001, labels)
            case ("energy", _):
                metrics.add(name + "_joule_total", "Hardware monitor for joules used so far (\(shown))", .counter, value / 1_000_000, labels)
            case ("power", "accuracy"):
                metrics.add(name, "Hardware monitor power meter accuracy, as a ratio", .gauge, value / 1_000_000, labels)
            case ("power", "average_interval"), ("power", "average_interval_min"), ("power", "average_interval_max"):
                metrics.add(name + "_seconds", "Hardware monitor power usage update interval (\(shown))", .gauge, value * 0.001, labels)
            case ("power", _):
                metrics.add(name + "_watt", "Hardware monitor for power usage in watts (\(shown))", .gauge, value / 1_000_000, labels)
            case ("humidity", _):
                metrics.add(name, "Hardware monitor for humidity (\(shown))", .gauge, value * 0.001, labels)
            case ("fan", "input"), ("fan", "min"), ("fan", "max"), ("fan", "target"):
                metrics.add(name + "_rpm", "Hardware monitor for fan revolutions per minute (\(shown))", .gauge, value, labels)
            default:
                metrics.add(name, "Hardware monitor \(type) element \(element)", .gauge, value, labels)
            }
        }
    }
}
