import EdgewatchCore
import HostFS

/// NVIDIA Jetson GPUs (no NVML on Tegra): load and clock from the GPU's devfreq device, its
/// temperature from the GPU thermal zone, power rails from the INA3221 monitors. dcgm-exporter
/// names where the meaning matches, `edgewatch_jetson_*` otherwise.
public struct JetsonGPUCollector: Collector {
    public let name = "jetson_gpu"
    public init() {}

    /// devfreq `of_node` names of Tegra GPUs: Xavier, TX2, Orin, Thor.
    static let gpuNodes: Set<String> = ["gv11b", "gp10b", "ga10b", "gb10b", "gpu"]
    /// Thermal zone types of the GPU across JetPack releases.
    static let gpuZones: Set<String> = ["GPU-therm", "gpu-thermal", "GPU-thermal"]
    /// Rails that carry the GPU alone.
    static let gpuRails: Set<String> = ["VDD_GPU", "VDD_GPU_SOC", "GPU"]

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let sys = context.sys.tree
        let gpus =
            (try? sys.list("class/devfreq"))?.filter { entry in
                let node = sys.optionalValue("class/devfreq/\(entry.name)/device/of_node/name") ?? ""
                return Self.gpuNodes.contains(node) || Self.gpuNodes.contains(where: { entry.name.hasSuffix("." + $0) })
            } ?? []
        guard !gpus.isEmpty else { throw .unavailable("no Tegra GPU devfreq device under \(sys.path("class/devfreq"))") }
        let model = context.proc.tree.optionalValue("device-tree/model") ?? sys.optionalValue("firmware/devicetree/base/model") ?? "NVIDIA Jetson"
        let hostname = context.kernel.identity()?.nodename ?? ""
        let rails = Self.rails(sys)
        let gpuTemperature = Self.gpuTemperature(sys)
        for (index, gpu) in gpus.enumerated() {
            let labels: Labels = ["gpu": String(index), "UUID": "", "device": gpu.name, "modelName": model, "Hostname": hostname]
            let base = "class/devfreq/\(gpu.name)"
            if let load = sys.optionalNumber(base + "/device/load") {
                metrics.add("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", .gauge, load / 10, labels)
            }
            if let hertz = sys.optionalNumber(base + "/cur_freq") {
                metrics.add("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", .gauge, hertz / 1e6, labels)
            }
            if let hertz = sys.optionalNumber(base + "/max_freq") {
                metrics.add("edgewatch_jetson_gpu_max_clock_mhz", "Highest GPU clock devfreq allows now (in MHz).", .gauge, hertz / 1e6, labels)
            }
            if let temperature = gpuTemperature {
                metrics.add("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", .gauge, temperature, labels)
            }
            if let gpuPower = rails.first(where: { Self.gpuRails.contains($0.rail) }) {
                metrics.add("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", .gauge, gpuPower.watts, labels)
            }
        }
        for rail in rails {
            metrics.add("edgewatch_jetson_rail_power_watts", "Power on an INA3221-monitored rail (in W).", .gauge, rail.watts, ["rail": rail.rail])
        }
        for (sensor, celsius) in Self.temperatures(sys) {
            metrics.add(
                "edgewatch_jetson_temperature_celsius",
                "Tegra thermal sensor temperature, named the same across JetPack releases (cpu, gpu, soc0, cv0, tj …).",
                .gauge,
                celsius,
                ["sensor": sensor]
            )
        }
    }

    /// Thermal zones under one naming across JetPack releases: `CPU-therm` (JetPack 4) and
    /// `cpu-thermal` (5/6) both become `cpu`; `Tboard_tegra`, `PMIC-Die` and the like are kept as is.
    static func temperatures(_ sys: FileTree) -> [(String, Double)] {
        var result: [(String, Double)] = []
        for zone in sys.entries("class/thermal", prefix: "thermal_zone") {
            guard let type = sys.optionalValue("class/thermal/\(zone)/type"),
                let milli = sys.optionalNumber("class/thermal/\(zone)/temp")
            else { continue }
            var sensor = type
            for suffix in ["-thermal", "-therm", "_thermal"] where sensor.hasSuffix(suffix) {
                sensor = String(sensor.dropLast(suffix.count))
            }
            result.append((sensor.lowercased(), milli / 1000))
        }
        return result
    }

    static func gpuTemperature(_ sys: FileTree) -> Double? {
        for zone in sys.entries("class/thermal", prefix: "thermal_zone") {
            guard let type = sys.optionalValue("class/thermal/\(zone)/type"), gpuZones.contains(type),
                let milli = sys.optionalNumber("class/thermal/\(zone)/temp")
            else { continue }
            return milli / 1000
        }
        return nil
    }

    /// Rails from hwmon `ina3221` (JetPack 5/6: inN_label, inN_input mV, currN_input mA) or the
    /// older iio driver `ina3221x` (JetPack 4: rail_name_N, in_power{N}_input mW).
    static func rails(_ sys: FileTree) -> [(rail: String, watts: Double)] {
        var result: [(rail: String, watts: Double)] = []
        for hwmon in sys.entries("class/hwmon", prefix: "hwmon") where sys.optionalValue("class/hwmon/\(hwmon)/name") == "ina3221" {
            let base = "class/hwmon/\(hwmon)"
            for channel in 1...3 {
                guard let label = sys.optionalValue("\(base)/in\(channel)_label"), !label.isEmpty,
                    let millivolts = sys.optionalNumber("\(base)/in\(channel)_input"),
                    let milliamps = sys.optionalNumber("\(base)/curr\(channel)_input")
                else { continue }
                result.append((label, millivolts * milliamps / 1e6))
            }
        }
        for device in (try? sys.list("bus/i2c/drivers/ina3221x"))?.map(\.name) ?? [] {
            let base = "bus/i2c/drivers/ina3221x/\(device)"
            for iio in sys.entries(base, prefix: "iio:device") {
                for channel in 0..<3 {
                    guard let label = sys.optionalValue("\(base)/\(iio)/rail_name_\(channel)"), !label.isEmpty,
                        let milliwatts = sys.optionalNumber("\(base)/\(iio)/in_power\(channel)_input")
                    else { continue }
                    result.append((label, milliwatts / 1000))
                }
            }
        }
        return result
    }
}
