import Foundation
import TestServers

#if canImport(Glibc)
import Glibc
#endif

/// Debian's prometheus-node-exporter started on a free loopback port with the collectors
/// edgewatch mirrors, stopped on `stop()`.
final class NodeExporterPeer {
    static let collectors = [
        "cpu", "cpufreq", "diskstats", "filesystem", "filefd", "hwmon", "loadavg", "meminfo", "netdev", "netclass", "os",
        "pressure", "stat", "thermal_zone", "time", "timex", "uname", "vmstat", "entropy", "sockstat",
    ]
    /// Upstream node_exporter 1.5's mount point exclusion (Debian's package patches a wider one).
    static let mountPointsExclude = "^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)"

    let process = Process()
    let port: UInt16

    /// Starts node_exporter over `proc`/`sys`/`root` (live machine when nil) and waits until it answers.
    init(binary: String, proc: String = "/proc", sys: String = "/sys", root: String = "/", udev: String = "/run/udev/data") throws {
        port = try Self.freePort()
        process.executableURL = URL(fileURLWithPath: binary)
        // node_exporter's netdev reads the live kernel over netlink by default: keep that default on
        // the live machine, and read the fixture's /proc/net/dev otherwise.
        let netdev = proc == "/proc" ? [] : ["--no-collector.netdev.netlink"]
        process.arguments =
            ["--collector.disable-defaults"] + Self.collectors.map { "--collector.\($0)" } + netdev + [
                "--collector.filesystem.mount-points-exclude=\(Self.mountPointsExclude)",
                "--path.procfs=\(proc)", "--path.sysfs=\(sys)", "--path.rootfs=\(root)", "--path.udev.data=\(udev)",
                "--web.listen-address=127.0.0.1:\(port)",
            ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if (try? scrape()) != nil { return }
            usleep(50_000)
        }
        stop()
        throw HarnessError("node_exporter did not answer on 127.0.0.1:\(port) within 15 s")
    }

    deinit { stop() }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// GET /metrics over plain HTTP/1.0 on loopback, body only.
    func scrape() throws -> String {
        let (status, body) = try HTTPGet.fetch(port: port, path: "/metrics")
        guard status == 200 else { throw HarnessError("node_exporter answered \(status)") }
        return body
    }
}

/// Minimal HTTP/1.0 GET over loopback for the tests.
enum HTTPGet {
    static func fetch(port: UInt16, path: String, accept: String = "text/plain", headers: [(String, String)] = []) throws -> (Int, String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket failed") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HarnessError("connect failed") }
        let extra = headers.map { "\($0.0): \($0.1)\r\n" }.joined()
        let request = "GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: \(accept)\r\nConnection: close\r\n\(extra)\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        let response = try readResponse(fd)
        return (response.status, response.body)
    }

    /// Reads a whole HTTP/1.x response until the peer closes: status, head and body.
    static func readResponse(_ fd: Int32) throws -> (status: Int, head: String, body: String) {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        let text = String(decoding: data, as: UTF8.self)
        guard text.hasPrefix("HTTP/1."), let split = text.range(of: "\r\n\r\n"), let status = Int(text.dropFirst(9).prefix(3)) else {
            throw HarnessError("bad HTTP response: \(text.prefix(200))")
        }
        return (status, String(text[..<split.lowerBound]), String(text[split.upperBound...]))
    }

}

extension NodeExporterPeer {
    /// A loopback port nobody listens on right now.
    static func freePort() throws -> UInt16 {
        guard let port = LoopbackPort.free() else { throw HarnessError("no free port") }
        return port
    }
}
