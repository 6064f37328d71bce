import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import Foundation
import Testing

/// `edgewatch doctor` over the fixture trees (golden output), on this machine, and against a real
/// hub, a damaged store and missing Kubernetes credentials.
@Suite("edgewatch doctor")
struct DoctorTests {
    static let names = ["cgroup", "psi", "kubepods", "pod-logs", "gpu", "clock", "store", "journal", "hub", "kubernetes"]

    /// Runs doctor with a synchronised injected clock, no NVML and no libsystemd (so the output
    /// does not depend on the machine), and `config` as its configuration file.
    static func doctor(_ arguments: [String], config: String, directory: String) throws -> Harness.Output {
        let clock = directory + "/clock"
        try "0 synced\n".write(toFile: clock, atomically: true, encoding: .utf8)
        try config.write(toFile: directory + "/doctor.yaml", atomically: true, encoding: .utf8)
        return try Harness.run(
            "/usr/bin/env",
            [
                "EDGEWATCH_TEST_CLOCK_FILE=" + clock, "EDGEWATCH_NVML_LIBRARY=/nonexistent/libnvidia-ml.so.1",
                "EDGEWATCH_SYSTEMD_LIBRARY=/nonexistent/libsystemd.so.0", Harness.edgewatch, "doctor", "--config", directory + "/doctor.yaml",
            ] + arguments
        )
    }

    @Test("doctor over each fixture tree matches its golden output", arguments: Harness.boards + ["amd-rx6400"])
    func golden(tree: String) throws {
        let scratch = try AgentScratch()
        let base = Harness.fixtures.appendingPathComponent(tree).path
        let output = try Self.doctor(
            ["--procfs", base + "/proc", "--sysfs", base + "/sys", "--rootfs", base + "/root", "--store", scratch.path + "/store.db"],
            config: "events:\n  kubernetes:\n    enabled: false\n",
            directory: scratch.path
        )
        #expect(output.status == (output.stdout.contains("\nfail ") || output.stdout.hasPrefix("fail ") ? 1 : 0), "\(output.stderr)")
        let normalized = output.stdout.replacingOccurrences(of: base, with: "<tree>").replacingOccurrences(of: scratch.path, with: "<scratch>")
        try GoldenOutputTests.compare(normalized, golden: "\(tree).doctor.golden")
    }

    @Test("on this machine: every check in order, exit status 1 exactly when one fails")
    func thisMachine() throws {
        let output = try Harness.run(Harness.edgewatch, ["doctor", "--store", FileManager.default.temporaryDirectory.path + "/doctor-\(UUID()).db"])
        let lines = output.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }
        #expect(lines.map { String($0.dropFirst(5).prefix { $0 != " " }) } == Self.names, "\(output.stdout)")
        #expect(lines.allSatisfy { ["ok", "warn", "fail", "skip"].contains(String($0.prefix { $0 != " " })) })
        #expect(output.status == (lines.contains { $0.hasPrefix("fail") } ? 1 : 0))
    }

    @Test("the hub check passes with the token, fails with a wrong one or none listening; a damaged store and missing credentials fail")
    func failures() throws {
        let hub = try HubProcess()
        defer { hub.stop() }
        let scratch = try AgentScratch()
        try (hub.token + "\n").write(toFile: scratch.path + "/token", atomically: true, encoding: .utf8)
        try "not the token\n".write(toFile: scratch.path + "/wrong", atomically: true, encoding: .utf8)
        func config(port: UInt16, token: String, kubernetes: String = "false") -> String {
            "node:\n  name: doctor-node\nuplink:\n  url: http://127.0.0.1:\(port)\n  token_file: \(scratch.path)/\(token)\n"
                + "events:\n  kubernetes:\n    enabled: \(kubernetes)\n"
        }
        let store = ["--store", scratch.path + "/store.db"]
        var output = try Self.doctor(store, config: config(port: hub.port, token: "token"), directory: scratch.path)
        #expect(output.stdout.contains("ok   hub         http://127.0.0.1:\(hub.port) accepts node doctor-node"), "\(output.stdout)")
        #expect(output.status == 0, "\(output.stdout)")
        output = try Self.doctor(store, config: config(port: hub.port, token: "wrong"), directory: scratch.path)
        #expect(output.status == 1 && output.stdout.contains("fail hub         the hub refused the join token"), "\(output.stdout)")
        output = try Self.doctor(store, config: config(port: try NodeExporterPeer.freePort(), token: "token"), directory: scratch.path)
        #expect(output.status == 1 && output.stdout.contains("unreachable"), "\(output.stdout)")
        output = try Self.doctor(store, config: config(port: hub.port, token: "token", kubernetes: "true"), directory: scratch.path)
        #expect(output.status == 1 && output.stdout.contains("fail kubernetes  no credentials"), "\(output.stdout)")
        // A store that is not a database, and one that is.
        try Data(repeating: 0x5A, count: 8192).write(to: URL(fileURLWithPath: scratch.path + "/store.db"))
        output = try Self.doctor(store, config: config(port: hub.port, token: "token"), directory: scratch.path)
        #expect(output.status == 1 && output.stdout.contains("fail store"), "\(output.stdout)")
        try FileManager.default.removeItem(atPath: scratch.path + "/store.db")
        let writer = try StoreWriter(configuration: StoreConfiguration(path: scratch.path + "/store.db", intervalMilliseconds: 1000))
        try writer.close()
        output = try Self.doctor(store, config: config(port: hub.port, token: "token"), directory: scratch.path)
        #expect(output.status == 0 && output.stdout.contains("ok   store       \(scratch.path)/store.db: integrity ok"), "\(output.stdout)")
        // A sound store whose series take most of a small budget: a warning naming store.max_bytes.
        try FileManager.default.removeItem(atPath: scratch.path + "/store.db")
        let small = try StoreWriter(
            configuration: StoreConfiguration(path: scratch.path + "/store.db", maxBytes: 1 << 20, intervalMilliseconds: 1000)
        )
        let keys = (0..<600).map { index in
            SeriesKey(
                name: "container_memory_working_set_bytes",
                labels: ["id": "/kubepods/pod\(index)/" + String(repeating: "c", count: 64)],
                type: .gauge
            )
        }
        let cycle = CycleRecord(timestamp: 1_732_003_200_000, bootID: "boot", monotonicNanoseconds: 1, synchronized: true)
        try small.append(cycle: cycle, samples: keys.map { ($0, 1) })
        try small.close()
        let budget = config(port: hub.port, token: "token") + "store:\n  max_bytes: 256KiB\n"
        output = try Self.doctor(store, config: budget, directory: scratch.path)
        #expect(output.status == 0 && output.stdout.contains("warn store"), "\(output.stdout)")
        #expect(output.stdout.contains("KiB of store.max_bytes 256 KiB") && output.stdout.contains("raise store.max_bytes"), "\(output.stdout)")
    }
}
