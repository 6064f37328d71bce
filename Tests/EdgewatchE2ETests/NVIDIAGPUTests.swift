import Foundation
import Testing

/// NVML through a stub libnvidia-ml.so.1 built from C by the test: devices, values, missing
/// symbols and error codes are scripted, and the real `edgewatch` binary loads it with dlopen.
@Suite("NVIDIA GPUs (stub NVML)", .serialized, .enabled(if: Harness.which(["cc", "gcc"]) != nil))
struct NVIDIAGPUTests {
    final class Stub {
        let directory: String
        let library: String
        let config: String

        init(legacy: Bool = false) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-nvml-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            library = directory + "/libnvidia-ml.so.1"
            config = directory + "/stub.conf"
            let source = Harness.fixtures.appendingPathComponent("nvml-stub/nvml_stub.c").path
            let compiler = try #require(Harness.which(["cc", "gcc"]))
            let build = try Harness.run(compiler, ["-shared", "-fPIC", "-O1", "-o", library, source] + (legacy ? ["-DLEGACY"] : []))
            guard build.status == 0 else { throw HarnessError("stub build failed: \(build.stderr)") }
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }

        func collect(_ settings: String, procfs: String = "/proc", rootfs: String = "/") throws -> (Harness.Output, [Series: Double]) {
            try settings.write(toFile: config, atomically: true, encoding: .utf8)
            let output = try Harness.run(
                "/usr/bin/env",
                [
                    "EDGEWATCH_NVML_LIBRARY=\(library)", "NVML_STUB_CONFIG=\(config)", Harness.edgewatch,
                    "collect", "--once", "--collectors", "nvidia_gpu,uname", "--procfs", procfs, "--rootfs", rootfs, "--log-level", "debug",
                ]
            )
            return (output, Exposition.parse(output.stdout))
        }
    }

    static func gpu(_ samples: [Series: Double], _ name: String, _ index: Int) -> Double? {
        samples.first { $0.key.name == name && $0.key.labels["gpu"] == String(index) }?.value
    }

    @Test("two GPUs: dcgm-exporter names, units and labels")
    func values() throws {
        let stub = try Stub()
        let (output, samples) = try stub.collect("devices=2\n")
        #expect(output.status == 0)
        #expect(samples[Series(name: "node_scrape_collector_success", labels: ["collector": "nvidia_gpu"])] == 1, "\(output.stderr)")
        #expect(Self.gpu(samples, "DCGM_FI_DEV_GPU_UTIL", 1) == 41)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_FB_USED", 1) == 2048)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_FB_FREE", 0) == 15_360)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_POWER_USAGE", 0) == 71.25)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", 0) == 123_456_789)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_SM_CLOCK", 0) == 1410)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_CLOCK_THROTTLE_REASONS", 0) == 4)
        let temperature = try #require(samples.first { $0.key.name == "DCGM_FI_DEV_GPU_TEMP" && $0.key.labels["gpu"] == "1" })
        #expect(temperature.value == 51)
        #expect(temperature.key.labels["UUID"] == "GPU-5eb00001-1111-2222-3333-444455556666")
        #expect(temperature.key.labels["modelName"] == "NVIDIA A2 (stub)")
        #expect(temperature.key.labels["device"] == "nvidia1")
        #expect(temperature.key.labels["Hostname"]?.isEmpty == false)
    }

    @Test("XID errors arrive through NVML events: last XID and a running count per GPU")
    func xidEvents() throws {
        let stub = try Stub()
        let (_, samples) = try stub.collect("devices=2\nxid=79\n")
        #expect(Self.gpu(samples, "DCGM_FI_DEV_XID_ERRORS", 0) == 79)
        #expect(Self.gpu(samples, "edgewatch_gpu_xid_errors_total", 0) == 1)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_XID_ERRORS", 1) == 0)
        let legacy = try Stub(legacy: true)
        let (_, old) = try legacy.collect("devices=1\nxid=79\n")
        #expect(Self.gpu(old, "DCGM_FI_DEV_XID_ERRORS", 0) == nil, "no event API, no XID series")
    }

    @Test("a lost GPU and an unsupported field: the GPU is marked down, the rest reported, no crash")
    func lostAndUnsupported() throws {
        let stub = try Stub()
        let (output, samples) = try stub.collect("devices=2\nlost=1\npower_rc=3\n")
        #expect(output.status == 0)
        #expect(Self.gpu(samples, "edgewatch_gpu_up", 1) == 0)
        #expect(Self.gpu(samples, "edgewatch_gpu_nvml_error", 1) == 15)
        #expect(Self.gpu(samples, "edgewatch_gpu_up", 0) == 1)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_POWER_USAGE", 0) == nil)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_GPU_UTIL", 0) == 40)
    }

    @Test("driver/library mismatch and a missing library are reported, never a crash")
    func initFailures() throws {
        let stub = try Stub()
        let (mismatch, samples) = try stub.collect("init_rc=18\n")
        #expect(mismatch.status == 0)
        #expect(samples[Series(name: "node_scrape_collector_success", labels: ["collector": "nvidia_gpu"])] == 0)
        #expect(mismatch.stderr.contains("versions differ"))
        let missing = try Harness.run(
            "/usr/bin/env",
            [
                "EDGEWATCH_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1", Harness.edgewatch, "collect", "--once", "--collectors", "nvidia_gpu",
                "--log-level", "debug",
            ]
        )
        #expect(missing.status == 0)
        #expect(missing.stderr.contains("no NVIDIA driver"))
    }

    @Test("an old driver without _v2/_v3 symbols or the energy counter still works")
    func legacySymbols() throws {
        let stub = try Stub(legacy: true)
        let (output, samples) = try stub.collect("devices=1\n")
        #expect(output.status == 0)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_GPU_UTIL", 0) == 40)
        #expect(Self.gpu(samples, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", 0) == nil)
    }

    @Test("GPU memory per pod: compute process → cgroup → pod and container names")
    func perPodMemory() throws {
        let stub = try Stub()
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-gpu-pods-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let uid = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
        let container = String(repeating: "c0", count: 32)
        let podDirectory = "\(tree)/root/var/log/pods/vision_detector-5d8f_\(uid)/inference"
        try FileManager.default.createDirectory(atPath: podDirectory, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(tree)/root/var/log/containers", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: "\(tree)/root/var/log/containers/detector-5d8f_vision_inference-\(container).log",
            withDestinationPath: podDirectory
        )
        for (pid, path) in [
            (
                4242,
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod\(uid.replacingOccurrences(of: "-", with: "_")).slice/cri-containerd-\(container).scope"
            ),
            (
                4243,
                "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod\(uid.replacingOccurrences(of: "-", with: "_")).slice/cri-containerd-\(container).scope"
            ),
            (777, "/system.slice/jupyter.service"),
        ] {
            try FileManager.default.createDirectory(atPath: "\(tree)/proc/\(pid)", withIntermediateDirectories: true)
            try "0::\(path)\n".write(toFile: "\(tree)/proc/\(pid)/cgroup", atomically: true, encoding: .utf8)
        }
        let (_, samples) = try stub.collect(
            "devices=1\nprocesses=4242:1048576,4243:2097152,777:4194304\n",
            procfs: tree + "/proc",
            rootfs: tree + "/root"
        )
        let pods = samples.filter { $0.key.name == "edgewatch_container_gpu_memory_used_bytes" }
        #expect(
            pods.first {
                $0.key.labels["pod"] == "detector-5d8f" && $0.key.labels["namespace"] == "vision" && $0.key.labels["container"] == "inference"
            }?.value == 3_145_728
        )
        #expect(pods.first { $0.key.labels["pod"] == "" }?.value == 4_194_304)
    }
}
