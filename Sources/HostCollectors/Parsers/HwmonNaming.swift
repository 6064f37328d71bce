import HostFS

/// Naming rules of node_exporter's hwmon collector.
public enum HwmonNaming {
    /// The sensor types whose files are read.
    static let sensorTypes: Set<String> = [
        "vrm", "beep_enable", "update_interval", "in", "cpu", "fan", "pwm", "temp", "curr", "power", "energy",
        "humidity", "intrusion",
    ]

    /// Splits a sensor file name `temp1_input` into type `temp`, index `1` and property `input`.
    /// Returns nil when the name does not have that shape.
    public static func explode(_ fileName: String) -> (type: String, index: String, property: String)? {
        guard let firstDigit = fileName.firstIndex(where: \.isASCIIDigit) else {
            return fileName.isEmpty ? nil : (fileName, "", "")
        }
        let type = String(fileName[..<firstDigit])
        guard !type.isEmpty else { return nil }
        let rest = fileName[firstDigit...]
        let digitsEnd = rest.firstIndex(where: { !$0.isASCIIDigit }) ?? rest.endIndex
        let index = String(rest[..<digitsEnd])
        let tail = rest[digitsEnd...]
        if tail.isEmpty { return (type, index, "") }
        guard tail.first == "_", tail.count > 1 else { return nil }
        return (type, index, String(tail.dropFirst()))
    }

    /// Lower-cases and replaces every character outside `[a-z0-9:_]` with `_`, then trims `_`.
    public static func clean(_ name: String) -> String {
        var result = ""
        for scalar in TextScanning.trimmed(name).lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9", ":", "_": result.unicodeScalars.append(scalar)
            default: result.append("_")
            }
        }
        while result.hasPrefix("_") { result.removeFirst() }
        while result.hasSuffix("_") { result.removeLast() }
        return result
    }

    /// The chip label from the hwmon device's resolved path: `<bus>_<device>` (e.g. `platform_coretemp_0`).
    public static func chipName(resolvedDevicePath: String) -> String? {
        let components = resolvedDevicePath.split(separator: "/")
        guard let device = components.last else { return nil }
        let cleanDevice = clean(String(device))
        let cleanType = components.count > 1 ? clean(String(components[components.count - 2])) : ""
        if !cleanType.isEmpty, !cleanDevice.isEmpty { return cleanType + "_" + cleanDevice }
        return cleanDevice.isEmpty ? nil : cleanDevice
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
