import EdgewatchCore
import EdgewatchStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real `edgewatch hub` process on a free loopback port with its own data directory.
final class HubProcess {
    private(set) var process = Process()
    let port: UInt16
    let data: String
    let logPath: String
    let extra: [String]

    init(data: String? = nil, extra: [String] = []) throws {
        port = try NodeExporterPeer.freePort()
        self.data = data ?? FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-hub-\(UUID().uuidString)").path
        logPath = self.data + ".log"
        self.extra = extra
        try start()
    }

    func start() throws {
        process = Process()
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Harness.edgewatch)
        process.arguments = ["hub", "--listen", "127.0.0.1:\(port)", "--data", data] + extra
        process.standardOutput = FileHandle.nullDevice
        let log = FileHandle(forWritingAtPath: logPath)
        log?.seekToEndOfFile()
        process.standardError = log
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let (status, _) = try? HTTPGet.fetch(port: port, path: "/healthz"), status == 200 { return }
            usleep(50_000)
        }
        throw HarnessError("hub did not start:\n\(log)")
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: data)
        try? FileManager.default.removeItem(atPath: logPath)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var token: String { ((try? String(contentsOfFile: data + "/join-token", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// Samples the hub stored for `node` at the raw tier: "name{labels}@ts" → value (labels without `node`).
    func rawSamples(node: String) throws -> [String: Double] {
        let database = try SQLiteDatabase(path: data + "/hub.db", readOnly: true)
        defer { database.close() }
        let statement = try database.statement("SELECT s.name, s.labels, p.ts, p.value FROM samples p JOIN series s ON s.id = p.series WHERE p.tier = 0")
        var result: [String: Double] = [:]
        while try statement.step() {
            guard let labels = SeriesKey.decodeLabels(statement.string(1)), labels["node"] == node else { continue }
            let key = SeriesKey(name: statement.string(0), labels: labels.removingNode(), type: .gauge).encodedLabels
            result["\(statement.string(0))\(key)@\(statement.int64(2))"] = statement.double(3)
        }
        return result
    }

    func integer(_ sql: String) throws -> Int64 {
        let database = try SQLiteDatabase(path: data + "/hub.db", readOnly: true)
        defer { database.close() }
        return try database.integer(sql)
    }
}

extension Labels {
    func removingNode() -> Labels { Labels(storage.filter { $0.name != "node" }) }
}
