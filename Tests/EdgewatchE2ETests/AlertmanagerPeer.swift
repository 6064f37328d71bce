import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real Debian `prometheus-alertmanager` on a free loopback port with a black-hole receiver.
final class AlertmanagerPeer {
    let process = Process()
    let port: UInt16
    let directory: String

    static var binary: String? { Harness.which(["prometheus-alertmanager", "alertmanager"]) }

    init(binary: String) throws {
        port = try NodeExporterPeer.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-am-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
        route:
          receiver: blackhole
          group_wait: 1s
        receivers:
          - name: blackhole
        """.write(toFile: directory + "/am.yml", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--config.file=\(directory)/am.yml", "--storage.path=\(directory)/data",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if let (status, _) = try? HTTPGet.fetch(port: port, path: "/-/ready"), status == 200 { return }
            usleep(50_000)
        }
        throw HarnessError("alertmanager did not become ready on port \(port)")
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Active alerts Alertmanager holds: their label sets.
    func alerts() throws -> [[String: String]] {
        let (status, body) = try HTTPGet.fetch(port: port, path: "/api/v2/alerts", accept: "application/json")
        guard status == 200, let list = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [[String: Any]] else {
            throw HarnessError("alertmanager answered \(status): \(body.prefix(200))")
        }
        return list.compactMap { $0["labels"] as? [String: String] }
    }
}
