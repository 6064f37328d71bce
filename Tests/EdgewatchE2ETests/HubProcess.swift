import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchStore
import EdgewatchWire
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `edgewatch hub` process on a free loopback port with its own data directory.
final class HubProcess: HubContents {
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
        LeftoverProcesses.track(process.processIdentifier, removing: [data, logPath])
        let deadline = Date().addingTimeInterval(15)
        // A TLS hub is ready once it accepts connections (the plain health check cannot speak TLS).
        let tls = extra.contains("--tls-cert-file")
        while Date() < deadline {
            if tls, Self.accepts(port) { return }
            if !tls, let (status, _) = try? HTTPGet.fetch(port: port, path: "/healthz"), status == 200 { return }
            if !process.isRunning { break }
            usleep(50_000)
        }
        let said = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw HarnessError("hub did not start (\(process.isRunning ? "no answer in 15 s" : "exited \(process.terminationStatus)")):\n\(said)")
    }

    /// Whether something accepts TCP connections on the loopback port.
    static func accepts(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = FaultProxy.loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    deinit {
        LeftoverProcesses.untrack(process.processIdentifier)
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: data)
        try? FileManager.default.removeItem(atPath: logPath)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    var token: String { ((try? String(contentsOfFile: data + "/join-token", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }

    func kill9() {
        LeftoverProcesses.untrack(process.processIdentifier)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func stop() {
        LeftoverProcesses.untrack(process.processIdentifier)
        process.terminate()
        process.waitUntilExit()
    }

    /// Rollup rows the hub stored for `node` at `tier` (1: 1 m): "name{labels}@ts" → the columns.
    func rollups(node: String, tier: Int64 = 1) throws -> [String: [Double]] {
        var result: [String: [Double]] = [:]
        try rows(node: node, tier: tier) { key, columns in result[key] = columns }
        return result
    }

    /// Every stored row of `node` at `tier`, decoded: "name{labels}@ts" (labels without `node`) and its columns.
    func rows(node: String, tier: Int64, _ visit: (String, [Double]) -> Void) throws {
        let database = try SQLiteDatabase(path: data + "/hub.db", readOnly: true)
        defer { database.close() }
        var names: [Int64: String] = [:]
        let series = try database.statement("SELECT id, name, labels FROM series")
        while try series.step() {
            HubContentsDecoding.name(id: series.int64(0), name: series.string(1), labels: series.string(2), node: node, into: &names)
        }
        let blocks = try database.statement("SELECT series, data FROM blocks WHERE tier = ? AND node = ?")
        blocks.bind(1, tier).bind(2, node)
        while try blocks.step() {
            try HubContentsDecoding.visit(ids: Varint.decodeAll(blocks.blob(0)).map { Int64($0) }, data: blocks.blob(1), names: names, visit)
        }
    }

    /// The `uid#count` keys of a node's stored events.
    func eventKeys(node: String) throws -> [String] {
        let database = try SQLiteDatabase(path: data + "/hub.db", readOnly: true)
        defer { database.close() }
        let statement = try database.statement("SELECT uid, count FROM events WHERE node = ? ORDER BY uid, count")
        statement.bind(1, node)
        var keys: [String] = []
        while try statement.step() { keys.append("\(statement.string(0))#\(statement.int64(1))") }
        return keys
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
