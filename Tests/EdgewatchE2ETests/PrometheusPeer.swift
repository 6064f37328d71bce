import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real Prometheus server (Debian's) on a free loopback port over a given TSDB directory,
/// answering queries (and scraping what its configuration names).
final class PrometheusPeer {
    private(set) var process = Process()
    let port: UInt16
    private let arguments: [String]
    private let binary: String

    /// Starts Prometheus with `configuration` (prometheus.yml's text; by default nothing is scraped)
    /// and any `extra` flags (`--web.enable-remote-write-receiver`).
    init(binary: String, storage: String, directory: String, configuration: String = "global:\n  scrape_interval: 1m\n", extra: [String] = []) throws
    {
        port = try NodeExporterPeer.freePort()
        let config = directory + "/prometheus.yml"
        try configuration.write(toFile: config, atomically: true, encoding: .utf8)
        self.binary = binary
        arguments =
            [
                "--config.file=" + config, "--storage.tsdb.path=" + storage, "--web.listen-address=127.0.0.1:\(port)",
                "--storage.tsdb.retention.time=10y",
            ] + extra
        try start()
    }

    /// Starts the server (again, after ``stop()``: same port, same TSDB) and waits until it is ready.
    func start() throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let (status, _) = try? HTTPGet.fetch(port: port, path: "/-/ready"), status == 200 { return }
            usleep(100_000)
        }
        throw HarnessError("prometheus did not become ready")
    }

    /// Stops the server (SIGTERM: it writes its WAL and exits).
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }

    /// The value of `selector` at `milliseconds` (one series expected), nil when Prometheus has none.
    func instant(_ selector: String, at milliseconds: Int64) throws -> Double? {
        let query = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? selector
        let seconds = String(format: "%.3f", Double(milliseconds) / 1000)
        let (status, body) = try HTTPGet.fetch(port: port, path: "/api/v1/query?query=\(query)&time=\(seconds)", accept: "application/json")
        guard status == 200, let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any],
            let data = object["data"] as? [String: Any], let result = data["result"] as? [[String: Any]]
        else { throw HarnessError("prometheus answered \(status): \(body.prefix(300))") }
        guard let value = result.first?["value"] as? [Any], let text = value.last as? String else { return nil }
        return Double(text)
    }
}
