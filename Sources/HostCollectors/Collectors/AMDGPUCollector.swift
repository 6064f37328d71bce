import EdgewatchCore
import HostFS

/// AMD GPUs through amdgpu's sysfs files: busy percent, VRAM, temperature, power and clock,
/// under dcgm-exporter's names so dashboards work across vendors.
public struct AMDGPUCollector: Collector {
    public let name = "amd_gpu"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let sys = context.sys.tree
        let cards = sys.entries("class/drm", prefix: "card").filter { name in
            NumberParsing.unsigned(name.dropFirst(4)) != nil && sys.optionalValue("class/drm/\(name)/device/vendor") == "0x1002"
        }
        guard !cards.isEmpty else { throw .unavailable("no amdgpu card under \(sys.path("class/drm"))") }
        let hostname = context.kernel.identity()?.nodename ?? ""
        for card in cards.sorted(by: { (Int($0.dropFirst(4)) ?? 0) < (Int($1.dropFirst(4)) ?? 0) }) {
            let device = "class/drm/\(card)/device"
            let model =
                sys.optionalValue(device + "/product_name").flatMap { $0.isEmpty ? nil : $0 }
                ?? "AMD GPU \(sys.optionalValue(device + "/device") ?? "")"
            let labels: Labels = [
                "gpu": String(card.dropFirst(4)), "UUID": sys.optionalValue(device + "/unique_id") ?? "", "device": card,
                "modelName": model, "Hostname": hostname,
            ]
            if let busy = sys.optionalNumber(device + "/gpu_busy_percent") {
                metrics.add("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", .gauge, busy, labels)
            }
            if let used = sys.optionalNumber(device + "/mem_info_vram_used"), let total = sys.optionalNumber(device + "/mem_info_vram_total") {
                metrics.add("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", .gauge, used / 1_048_576, labels)
                metrics.add("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", .gauge, max(0, total - used) / 1_048_576, labels)
            }
            if let busy = sys.optionalNumber(device + "/mem_busy_percent") {
                metrics.add("DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", .gauge, busy, labels)
            }
            guard let hwmon = sys.entries(device + "/hwmon", prefix: "hwmon").first else { continue }
            let base = device + "/hwmon/" + hwmon
            if let milli = sys.optionalNumber(base + "/temp1_input") {
                metrics.add("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", .gauge, milli / 1000, labels)
            }
            if let micro = sys.optionalNumber(base + "/power1_average") ?? sys.optionalNumber(base + "/power1_input") {
                metrics.add("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", .gauge, micro / 1e6, labels)
            }
            if let hertz = sys.optionalNumber(base + "/freq1_input") {
                metrics.add("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", .gauge, hertz / 1e6, labels)
            }
            if let hertz = sys.optionalNumber(base + "/freq2_input") {
                metrics.add("DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).", .gauge, hertz / 1e6, labels)
            }
        }
    }
}
