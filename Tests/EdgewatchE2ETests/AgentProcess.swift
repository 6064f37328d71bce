import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `edgewatch agent` process with its stderr captured to a file.
final class AgentProcess {
    let process = Process()
    let logPath: String
    let port: UInt16

    /// Starts the agent (`executable`, the debug build by default) with `config` (a YAML file) and `extra` arguments.
    init(
        directory: String,
        config: String,
        port: UInt16,
        extra: [String] = [],
        environment: [String: String] = [:],
        executable: String = Harness.edgewatch
    ) throws {
        self.port = port
        logPath = directory + "/agent-\(UUID().uuidString).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        // An empty `config`: none, the embedded defaults.
        process.arguments =
            ["agent"] + (config.isEmpty ? [] : ["--config", config]) + ["--listen", "127.0.0.1:\(port)", "--log-level", "debug"] + extra
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: logPath)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Waits for exit (bounded); returns the exit status, or nil on timeout.
    func wait(timeout: TimeInterval = 15) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(10_000) }
        guard !process.isRunning else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Waits until the log contains `text` (bounded).
    func waitForLog(_ text: String, timeout: TimeInterval = 15) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if log.contains(text) { return true }
            if !process.isRunning { return log.contains(text) }
            usleep(20_000)
        }
        return false
    }

    /// The flushes the agent reported as committed: (first_ts, last_ts, cycles).
    var flushes: [(Int64, Int64, Int)] {
        log.split(separator: "\n").filter { $0.contains("] flushed") || $0.hasSuffix("flushed") }.compactMap { line in
            func value(_ key: String) -> Int64? {
                guard let range = line.range(of: key + "=") else { return nil }
                return Int64(line[range.upperBound...].prefix { $0.isNumber })
            }
            guard let first = value("first_ts"), let last = value("last_ts"), let count = value("cycles") else { return nil }
            return (first, last, Int(count))
        }
    }
}

/// A scratch directory with an agent config file.
final class AgentScratch {
    let path: String
    var config: String { path + "/edgewatch.yaml" }
    var store: String { path + "/store.db" }

    init(
        node: String = "test-node",
        interval: String = "200ms",
        flush: String = "400ms",
        maxBytes: String = "16MiB",
        collectors: [String] = ["loadavg", "meminfo", "stat", "vmstat"]
    ) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-agent-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try """
        node:
          name: \(node)
        collect:
          interval: \(interval)
          collectors: [\(collectors.joined(separator: ", "))]
        store:
          path: \(path)/store.db
          max_bytes: \(maxBytes)
          flush_interval: \(flush)
        """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
