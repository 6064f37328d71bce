import CNVML
import EdgewatchCore
import HostFS

/// NVIDIA GPUs through NVML, loaded with dlopen at run time (no link-time dependency: the binary
/// runs where no driver is installed), with dcgm-exporter's metric names and labels, plus GPU
/// memory per pod from the compute processes' cgroups.
public struct NVIDIAGPUCollector: Collector {
    public let name = "nvidia_gpu"
    /// Library to load instead of `libnvidia-ml.so.1` (tests, unusual driver installs).
    let libraryPath: String?

    public init(libraryPath: String? = nil) {
        self.libraryPath = libraryPath ?? getenvString("EDGEWATCH_NVML_LIBRARY")
    }

    /// NVML return codes edgewatch distinguishes.
    enum Code {
        static let notSupported: Int32 = 3
        static let noPermission: Int32 = 4
        static let driverNotLoaded: Int32 = 9
        static let gpuLost: Int32 = 15
        static let versionMismatch: Int32 = 18
    }

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        // Tried again once per refresh period, not every cycle: a failed dlopen searches a dozen
        // library paths (a driver installed later is still found).
        let loaded = context.cache.value("nvidia_gpu/load") { String(cew_nvml_load(libraryPath)) }
        switch loaded {
        case "0": break
        case "-2": throw .failed("\(libraryPath ?? "libnvidia-ml.so.1") lacks nvmlInit/nvmlDeviceGetCount/nvmlDeviceGetHandleByIndex")
        default: throw .unavailable("no NVIDIA driver: \(libraryPath ?? "libnvidia-ml.so.1") cannot be loaded")
        }
        let initCode = cew_nvml_init()
        switch initCode {
        case 0: break
        case Code.driverNotLoaded: throw .unavailable("NVIDIA driver not loaded")
        case Code.versionMismatch: throw .failed("NVML library and kernel driver versions differ (reboot or reinstall the driver)")
        case Code.noPermission: throw .failed("no permission to use NVML")
        default: throw .failed("nvmlInit: \(String(cString: cew_nvml_error_string(initCode)))")
        }
        var count: UInt32 = 0
        let countCode = cew_nvml_device_count(&count)
        guard countCode == 0 else { throw .failed("nvmlDeviceGetCount: \(String(cString: cew_nvml_error_string(countCode)))") }
        let hostname = context.kernel.identity()?.nodename ?? ""
        let names = PodNames.read(context.rootfs.tree, directory: context.podDirectory)
        let xidSupported = cew_nvml_poll_xid() == 0
        for index in 0..<count {
            var device = cew_nvml_device()
            let handleCode = cew_nvml_read_device(index, &device)
            let base: Labels = ["gpu": String(index), "device": "nvidia\(index)", "Hostname": hostname]
            guard handleCode == 0 else {
                metrics.add(
                    "edgewatch_gpu_up",
                    "1 if the GPU answers NVML, 0 when it is lost or failing.",
                    .gauge,
                    0,
                    base.adding("UUID", "").adding("modelName", "")
                )
                metrics.add(
                    "edgewatch_gpu_nvml_error",
                    "NVML return code of the last failed call for this GPU (15 GPU lost).",
                    .gauge,
                    Double(handleCode),
                    base
                )
                continue
            }
            let labels = base.adding("UUID", Self.string(device.uuid)).adding("modelName", Self.string(device.name))
            let lost = [device.util_rc, device.memory_rc, device.temperature_rc, device.power_rc].contains(Code.gpuLost)
            metrics.add("edgewatch_gpu_up", "1 if the GPU answers NVML, 0 when it is lost or failing.", .gauge, lost ? 0 : 1, labels)
            func add(_ name: String, _ help: String, _ type: MetricType, _ code: Int32, _ value: @autoclosure () -> Double) {
                guard code == 0 else { return }
                metrics.add(name, help, type, value(), labels)
            }
            add("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", .gauge, device.util_rc, Double(device.gpu_util))
            add("DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", .gauge, device.util_rc, Double(device.mem_util))
            add("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", .gauge, device.memory_rc, Double(device.fb_used) / 1_048_576)
            add("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", .gauge, device.memory_rc, Double(device.fb_free) / 1_048_576)
            add("DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", .gauge, device.temperature_rc, Double(device.temperature))
            add("DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", .gauge, device.power_rc, Double(device.power_mw) / 1000)
            add(
                "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION",
                "Total energy consumption since boot (in mJ).",
                .counter,
                device.energy_rc,
                Double(device.energy_mj)
            )
            add("DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", .gauge, device.sm_clock_rc, Double(device.sm_clock_mhz))
            add("DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).", .gauge, device.mem_clock_rc, Double(device.mem_clock_mhz))
            add("DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "Total number of PCIe retries.", .counter, device.pcie_replay_rc, Double(device.pcie_replay))
            add(
                "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS",
                "Current clock throttle reasons (bitmask of NVML clocks event reasons).",
                .gauge,
                device.throttle_rc,
                Double(device.throttle_reasons)
            )
            if xidSupported {
                var last: UInt64 = 0
                var total: UInt64 = 0
                cew_nvml_xid(index, &last, &total)
                metrics.add("DCGM_FI_DEV_XID_ERRORS", "Value of the last XID error encountered.", .gauge, Double(last), labels)
                metrics.add(
                    "edgewatch_gpu_xid_errors_total",
                    "XID errors seen (NVML events) since the agent started.",
                    .counter,
                    Double(total),
                    labels
                )
            }
            if device.processes_rc == 0 {
                addPodMemory(device, labels: labels, context: context, names: names, into: &metrics)
            }
        }
    }

    /// GPU memory of compute processes, summed per container: pid → /proc/<pid>/cgroup → pod.
    private func addPodMemory(_ device: cew_nvml_device, labels: Labels, context: CollectionContext, names: PodNames, into metrics: inout MetricSet) {
        var perContainer: [Labels: Double] = [:]
        let pids: [UInt32] = Self.array(device.process_pid, count: Int(device.process_count))
        let memory: [UInt64] = Self.array(device.process_memory, count: Int(device.process_count))
        for (pid, bytes) in zip(pids, memory) {
            var namespace = ""
            var pod = ""
            var container = ""
            if let text = try? context.proc.tree.readText("\(pid)/cgroup") {
                for line in TextScanning.lines(text) {
                    let components = line.split(separator: "/").map(String.init)
                    guard let podIndex = components.firstIndex(where: { KubepodsNaming.podUID($0) != nil }),
                        let uid = KubepodsNaming.podUID(components[podIndex])
                    else { continue }
                    namespace = names.pods[uid]?.namespace ?? ""
                    pod = names.pods[uid]?.pod ?? uid
                    if podIndex + 1 < components.count, let id = KubepodsNaming.containerID(TextScanning.trimmed(components[podIndex + 1])) {
                        container = names.containers[id] ?? id
                    }
                    break
                }
            }
            let key = labels.adding("namespace", namespace).adding("pod", pod).adding("container", container)
            perContainer[key, default: 0] += Double(bytes)
        }
        for (key, bytes) in perContainer {
            metrics.add(
                "edgewatch_container_gpu_memory_used_bytes",
                "GPU memory used by a container's compute processes (pod \"\" for host processes).",
                .gauge,
                bytes,
                key
            )
        }
    }

    static func string<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    static func array<T, E>(_ tuple: T, count: Int) -> [E] {
        withUnsafeBytes(of: tuple) { raw in
            Array(raw.bindMemory(to: E.self).prefix(min(count, raw.count / MemoryLayout<E>.stride)))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

func getenvString(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}
