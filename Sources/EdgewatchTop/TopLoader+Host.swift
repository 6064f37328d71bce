import EdgewatchCore

/// The node panels: header identity, CPU, memory, disks, filesystems, network, temperatures,
/// Raspberry Pi flags and GPUs.
extension TopLoader {
    func readHost(_ view: TableView, into snapshot: inout TopSnapshot) {
        snapshot.header.board = view.first("edgewatch_board_info")?.labels["model"] ?? ""
        snapshot.header.kernel = view.first("node_uname_info")?.labels["release"] ?? ""
        if let boot = view.latest("node_boot_time_seconds") { snapshot.header.uptimeSeconds = Double(view.last) / 1000 - boot }
        snapshot.header.clockSynchronized = view.latest("edgewatch_clock_synchronized").map { $0 == 1 }
        snapshot.cpu = cpu(view)
        snapshot.memory = memory(view)
        snapshot.disks = devices(view, "node_disk_read_bytes_total", "node_disk_written_bytes_total", label: "device")
        snapshot.network = devices(view, "node_network_receive_bytes_total", "node_network_transmit_bytes_total", label: "device")
            .filter { $0.name != "lo" }
        var sizes: [String: Double] = [:]
        for series in view.current("node_filesystem_size_bytes") { sizes[series.labels["mountpoint"] ?? ""] = series.latest }
        snapshot.filesystems = view.current("node_filesystem_avail_bytes").compactMap { series in
            let mount = series.labels["mountpoint"] ?? ""
            guard let size = sizes[mount], size > 0, let avail = series.latest else { return nil }
            return TopSnapshot.Filesystem(mountpoint: mount, device: series.labels["device"] ?? "", sizeBytes: size, usedFraction: 1 - avail / size)
        }.sorted { $0.mountpoint < $1.mountpoint }
        snapshot.temperatures =
            (view.current("node_thermal_zone_temp").compactMap { series in
                series.latest.map { TopSnapshot.Temperature(sensor: series.labels["type"] ?? "zone", celsius: $0) }
            }
            + view.current("node_hwmon_temp_celsius").compactMap { series in
                series.latest.map {
                    TopSnapshot.Temperature(sensor: (series.labels["chip"] ?? "") + "/" + (series.labels["sensor"] ?? ""), celsius: $0)
                }
            }).sorted { $0.sensor < $1.sensor }
        snapshot.throttling = view.current("edgewatch_rpi_throttle_state").filter { $0.labels["scope"] == "now" && $0.latest == 1 }
            .compactMap { $0.labels["condition"] }.sorted()
        snapshot.gpus = gpus(view)
    }

    private func cpu(_ view: TableView) -> TopSnapshot.CPU {
        var result = TopSnapshot.CPU()
        var busy: [String: (busy: Double, all: Double)] = [:]
        var history: [Int64: (busy: Double, all: Double)] = [:]
        var coreHistory: [String: [Int64: (busy: Double, all: Double)]] = [:]
        for series in view.all("node_cpu_seconds_total") {
            let core = series.labels["cpu"] ?? ""
            let idle = series.labels["mode"] == "idle" || series.labels["mode"] == "iowait"
            if let increase = series.lastIncrease {
                busy[core, default: (0, 0)].all += increase
                if !idle { busy[core, default: (0, 0)].busy += increase }
            }
            for (time, increase) in series.historyIncreases(rollup: view.rollup) {
                history[time, default: (0, 0)].all += increase
                coreHistory[core, default: [:]][time, default: (0, 0)].all += increase
                if !idle {
                    history[time, default: (0, 0)].busy += increase
                    coreHistory[core, default: [:]][time, default: (0, 0)].busy += increase
                }
            }
        }
        let cores = busy.keys.sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
        result.cores = cores.compactMap { core in busy[core].flatMap { $0.all > 0 ? $0.busy / $0.all : nil } }
        let total = busy.values.reduce((0.0, 0.0)) { ($0.0 + $1.busy, $0.1 + $1.all) }
        result.total = total.1 > 0 ? total.0 / total.1 : nil
        func fractions(_ steps: [Int64: (busy: Double, all: Double)]) -> [Double] {
            steps.keys.sorted().compactMap { time in steps[time].flatMap { $0.all > 0 ? $0.busy / $0.all : nil } }
        }
        result.history = fractions(history)
        result.coreHistory = cores.map { fractions(coreHistory[$0] ?? [:]) }
        result.load = ["node_load1", "node_load5", "node_load15"].compactMap { view.latest($0) }
        result.pressure = view.first("node_pressure_cpu_waiting_seconds_total")?.rate
        return result
    }

    private func memory(_ view: TableView) -> TopSnapshot.Memory {
        var result = TopSnapshot.Memory()
        result.totalBytes = view.latest("node_memory_MemTotal_bytes")
        result.availableBytes = view.latest("node_memory_MemAvailable_bytes")
        result.cachedBytes = view.latest("node_memory_Cached_bytes")
        result.swapTotalBytes = view.latest("node_memory_SwapTotal_bytes")
        result.swapFreeBytes = view.latest("node_memory_SwapFree_bytes")
        result.pressure = view.first("node_pressure_memory_waiting_seconds_total")?.rate
        if let total = result.totalBytes, total > 0, let available = view.first("node_memory_MemAvailable_bytes") {
            result.history = available.historyValues(rollup: view.rollup).map { 1 - $0.1 / total }
        }
        return result
    }

    private func devices(_ view: TableView, _ inName: String, _ outName: String, label: String) -> [TopSnapshot.Device] {
        var outRates: [String: Double] = [:]
        for series in view.current(outName) { outRates[series.labels[label] ?? ""] = series.rate }
        return view.current(inName).map { series in
            let name = series.labels[label] ?? ""
            return TopSnapshot.Device(name: name, inRate: series.rate, outRate: outRates[name])
        }.sorted { $0.name < $1.name }
    }

    private func gpus(_ view: TableView) -> [TopSnapshot.GPU] {
        var gpus: [String: TopSnapshot.GPU] = [:]
        func set(_ name: String, _ update: (inout TopSnapshot.GPU, Double) -> Void) {
            for series in view.current(name) {
                let id = series.labels["gpu"] ?? "0"
                guard let value = series.latest else { continue }
                update(&gpus[id, default: TopSnapshot.GPU(gpu: id)], value)
            }
        }
        set("edgewatch_gpu_up") { $0.up = $1 == 1 }
        set("DCGM_FI_DEV_GPU_UTIL") { $0.utilization = $1 / 100 }
        set("DCGM_FI_DEV_FB_USED") { $0.memoryUsedBytes = $1 * 1_048_576 }
        set("DCGM_FI_DEV_FB_FREE") { gpu, free in gpu.memoryTotalBytes = (gpu.memoryUsedBytes ?? 0) + free * 1_048_576 }
        set("DCGM_FI_DEV_GPU_TEMP") { $0.temperature = $1 }
        set("DCGM_FI_DEV_POWER_USAGE") { $0.powerWatts = $1 }
        set("DCGM_FI_DEV_SM_CLOCK") { $0.smClockMHz = $1 }
        return gpus.values.sorted { $0.gpu < $1.gpu }
    }
}
