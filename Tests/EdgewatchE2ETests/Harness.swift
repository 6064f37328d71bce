import Foundation
import Testing

/// Locations and process helpers shared by the end-to-end tests.
enum Harness {
    /// The package root (three levels above this file).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let fixtures = packageRoot.appendingPathComponent("Tests/EdgewatchE2ETests/Fixtures")
    static let boards = ["pi4-k3s", "jetson-orin-nano", "x86-server"]

    /// The edgewatch binary: $EDGEWATCH_BIN, else the debug build in .build.
    static var edgewatch: String {
        if let path = ProcessInfo.processInfo.environment["EDGEWATCH_BIN"] { return path }
        return packageRoot.appendingPathComponent(".build/debug/edgewatch").path
    }

    /// Whether the binaries run under a sanitizer (`make test-asan`/`test-tsan` set it): memory
    /// bounds and how much a process gets done in a fixed time do not hold there.
    static var sanitized: Bool { ProcessInfo.processInfo.environment["EDGEWATCH_SANITIZER"] != nil }

    /// Whether peers (node_exporter, promtool) must be present: set by `make test` and CI.
    static var peersRequired: Bool { ProcessInfo.processInfo.environment["EDGEWATCH_REQUIRE_PEERS"] == "1" }

    /// The first executable found among `candidates` on PATH or as absolute paths.
    static func which(_ candidates: [String]) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in candidates {
            if name.hasPrefix("/") {
                if FileManager.default.isExecutableFile(atPath: name) { return name }
                continue
            }
            for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
                return "\(dir)/\(name)"
            }
        }
        return nil
    }

    static var nodeExporter: String? { which(["prometheus-node-exporter", "node_exporter"]) }
    static var promtool: String? { which(["promtool"]) }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a program to completion (bounded by `timeout` seconds) and captures its output through files.
    static func run(
        _ executable: String,
        _ arguments: [String],
        input: String? = nil,
        timeout: TimeInterval = 60,
        environment extra: [String: String] = [:],
        workingDirectory: String? = nil
    ) throws -> Output {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let paths = ["in", "out", "err"].map { scratch.appendingPathComponent($0).path }
        FileManager.default.createFile(atPath: paths[0], contents: Data((input ?? "").utf8))
        FileManager.default.createFile(atPath: paths[1], contents: nil)
        FileManager.default.createFile(atPath: paths[2], contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        // Golden outputs must not depend on whether this machine has an NVIDIA driver.
        var environment = ProcessInfo.processInfo.environment
        if environment["EDGEWATCH_NVML_LIBRARY"] == nil { environment["EDGEWATCH_NVML_LIBRARY"] = "/nonexistent/libnvidia-ml.so.1" }
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardInput = FileHandle(forReadingAtPath: paths[0])
        process.standardOutput = FileHandle(forWritingAtPath: paths[1])
        process.standardError = FileHandle(forWritingAtPath: paths[2])
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(5_000) }
        if process.isRunning {
            // SIGTERM, then SIGKILL: a hung process must not outlive the test.
            process.terminate()
            let grace = Date().addingTimeInterval(3)
            while process.isRunning, Date() < grace { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            throw HarnessError("\(executable) did not finish within \(timeout) s")
        }
        process.waitUntilExit()
        let stdout = try String(contentsOfFile: paths[1], encoding: .utf8)
        let stderr = try String(contentsOfFile: paths[2], encoding: .utf8)
        return Output(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// `edgewatch collect --once` over a fixture board.
    static func collect(board: String, extra: [String] = []) throws -> Output {
        let base = fixtures.appendingPathComponent(board).path
        return try run(edgewatch, ["collect", "--once", "--procfs", base + "/proc", "--sysfs", base + "/sys", "--rootfs", base + "/root"] + extra)
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
