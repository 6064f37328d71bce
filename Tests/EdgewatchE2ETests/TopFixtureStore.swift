import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import Foundation

/// A store written with a fixed clock for `top`'s golden frames: a 4-core Pi running three pods
/// for 30 minutes at 10 s, one container near its memory limit and throttled, an alert firing,
/// a GPU, and Kubernetes and node-local events.
enum TopFixtureStore {
    static let start: Int64 = 1_796_025_600_000
    static let cycles = 180
    static var end: Int64 { start + Int64(cycles - 1) * 10_000 }

    static func write(to path: String) throws {
        let writer = try StoreWriter(configuration: StoreConfiguration(path: path, intervalMilliseconds: 10_000, nodeName: "pi-fixture"))
        for index in 0..<cycles {
            let time = start + Int64(index) * 10_000
            let cycle = CycleRecord(timestamp: time, bootID: "boot-1", monotonicNanoseconds: Int64(index + 1) * 10_000_000_000, synchronized: true)
            try writer.append(cycle: cycle, samples: samples(index))
            if index == 60 {
                writer.record([kubernetesEvent(at: time)], now: time)
            }
            if index == 150 {
                writer.recordNodeEvent(
                    .oomKilled,
                    at: time,
                    message: "OOM killer stopped process python3 (pid 4711) in container infer of pod edge/detector-0 (kill 1)",
                    key: "fixture/1"
                )
            }
        }
        try writer.close()
    }

    static func kubernetesEvent(at time: Int64) -> EventRecord {
        EventRecord(
            time: time,
            firstSeen: time - 600_000,
            source: .kubernetes,
            type: "Warning",
            reason: "BackOff",
            object: EventRecord.InvolvedObject(kind: "Pod", namespace: "edge", name: "detector-0"),
            message: "Back-off restarting failed container infer in pod detector-0_edge",
            count: 4,
            delta: 4,
            uid: "5f0c7a3e-0d1b-4c2a-9e8f-7a6b5c4d3e2f"
        )
    }

    static func samples(_ index: Int) -> [(SeriesKey, Double)] {
        var samples: [(SeriesKey, Double)] = []
        func add(_ name: String, _ type: MetricType, _ value: Double, _ labels: [String: String] = [:]) {
            samples.append((SeriesKey(name: name, labels: Labels(labels.map { Label($0.key, $0.value) }), type: type), value))
        }
        let step = Double(index) * 10
        for core in 0..<4 {
            let busy = 0.2 + 0.1 * Double(core) + (index > 120 ? 0.3 : 0)
            add("node_cpu_seconds_total", .counter, step * (1 - busy), ["cpu": String(core), "mode": "idle"])
            add("node_cpu_seconds_total", .counter, step * busy * 0.8, ["cpu": String(core), "mode": "user"])
            add("node_cpu_seconds_total", .counter, step * busy * 0.2, ["cpu": String(core), "mode": "system"])
        }
        add("node_load1", .gauge, 1.25)
        add("node_load5", .gauge, 0.9)
        add("node_load15", .gauge, 0.7)
        add("node_pressure_cpu_waiting_seconds_total", .counter, step * 0.03)
        add("node_pressure_memory_waiting_seconds_total", .counter, step * 0.01)
        add("node_memory_MemTotal_bytes", .gauge, 4_021_000_000)
        add("node_memory_MemAvailable_bytes", .gauge, 2_600_000_000 - Double(index) * 2_000_000)
        add("node_memory_Cached_bytes", .gauge, 900_000_000)
        add("node_memory_SwapTotal_bytes", .gauge, 104_853_504)
        add("node_memory_SwapFree_bytes", .gauge, 100_000_000)
        add("node_disk_read_bytes_total", .counter, step * 120_000, ["device": "mmcblk0"])
        add("node_disk_written_bytes_total", .counter, step * 340_000, ["device": "mmcblk0"])
        add("node_filesystem_size_bytes", .gauge, 31_000_000_000, ["device": "/dev/mmcblk0p2", "fstype": "ext4", "mountpoint": "/"])
        add("node_filesystem_avail_bytes", .gauge, 9_000_000_000, ["device": "/dev/mmcblk0p2", "fstype": "ext4", "mountpoint": "/"])
        add("node_filesystem_size_bytes", .gauge, 268_000_000, ["device": "/dev/mmcblk0p1", "fstype": "vfat", "mountpoint": "/boot/firmware"])
        add("node_filesystem_avail_bytes", .gauge, 200_000_000, ["device": "/dev/mmcblk0p1", "fstype": "vfat", "mountpoint": "/boot/firmware"])
        add("node_network_receive_bytes_total", .counter, step * 250_000, ["device": "eth0"])
        add("node_network_transmit_bytes_total", .counter, step * 40_000, ["device": "eth0"])
        add("node_network_receive_bytes_total", .counter, step * 10, ["device": "lo"])
        add("node_network_transmit_bytes_total", .counter, step * 10, ["device": "lo"])
        add("node_thermal_zone_temp", .gauge, 61.3, ["type": "cpu-thermal", "zone": "0"])
        add("edgewatch_rpi_throttle_state", .gauge, 1, ["condition": "under_voltage", "scope": "now"])
        add("edgewatch_rpi_throttle_state", .gauge, 0, ["condition": "throttled", "scope": "now"])
        add("edgewatch_board_info", .gauge, 1, ["model": "Raspberry Pi 4 Model B Rev 1.4", "compatible": "raspberrypi,4-model-b"])
        add("node_uname_info", .gauge, 1, ["release": "6.6.51+rpt-rpi-v8", "machine": "aarch64", "nodename": "pi-fixture"])
        add("node_boot_time_seconds", .gauge, Double(start / 1000) - 200_000)
        add("edgewatch_clock_synchronized", .gauge, 1)
        add("edgewatch_gpu_up", .gauge, 1, ["gpu": "0"])
        add("DCGM_FI_DEV_GPU_UTIL", .gauge, 37, ["gpu": "0"])
        add("DCGM_FI_DEV_FB_USED", .gauge, 1200, ["gpu": "0"])
        add("DCGM_FI_DEV_FB_FREE", .gauge, 6800, ["gpu": "0"])
        add("DCGM_FI_DEV_GPU_TEMP", .gauge, 58, ["gpu": "0"])
        add("DCGM_FI_DEV_POWER_USAGE", .gauge, 11.5, ["gpu": "0"])
        containers(index, add)
        if index >= 100 {
            let labels = [
                "alertname": "EdgePodMemoryNearLimit", "severity": "warning", "namespace": "edge", "pod": "detector-0", "container": "infer",
            ]
            add("ALERTS", .gauge, 1, labels.merging(["alertstate": index >= 130 ? "firing" : "pending"]) { $1 })
            add("ALERTS_FOR_STATE", .gauge, Double((start + 1_000_000) / 1000), labels)
        }
        return samples
    }

    static func containers(_ index: Int, _ add: (String, MetricType, Double, [String: String]) -> Void) {
        let step = Double(index) * 10
        let pods: [(String, String, String, Double, Double, Double)] = [
            ("edge", "detector-0", "infer", 0.85, 470_000_000 + Double(index) * 100_000, 536_870_912),
            ("kube-system", "coredns-6799fbcd5-x7k2p", "coredns", 0.02, 21_000_000, 178_257_920),
            ("monitoring", "edgewatch-agent-qz9lm", "agent", 0.01, 18_000_000, 0),
        ]
        for (offset, pod) in pods.enumerated() {
            let id = "/kubepods.slice/kubepods-pod\(offset).slice/cri-containerd-\(String(repeating: String(offset), count: 12)).scope"
            let labels = ["id": id, "namespace": pod.0, "pod": pod.1, "container": pod.2]
            add("container_cpu_usage_seconds_total", .counter, step * pod.3, labels.merging(["cpu": "total"]) { $1 })
            add("container_cpu_cfs_periods_total", .counter, step * 10, labels)
            add("container_cpu_cfs_throttled_periods_total", .counter, step * (offset == 0 ? 4 : 0), labels)
            add("container_memory_working_set_bytes", .gauge, pod.4, labels)
            if pod.5 > 0 { add("container_spec_memory_limit_bytes", .gauge, pod.5, labels) }
            add("container_oom_events_total", .counter, offset == 0 && index >= 150 ? 1 : 0, labels)
        }
        add(
            "edgewatch_container_gpu_memory_used_bytes",
            .gauge,
            1_100_000_000,
            ["gpu": "0", "namespace": "edge", "pod": "detector-0", "container": "infer"]
        )
    }
}
