import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import EdgewatchWire
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Raw HTTP/1.1 POST over loopback for the hub tests (status and body).
enum RawPost {
    static func send(port: UInt16, path: String, headers: [(String, String)], body: [UInt8]) throws -> (Int, String) {
        let reply = try exchange(port: port, path: path, headers: headers, body: body)
        return (reply.status, reply.body)
    }

    static func exchange(port: UInt16, path: String, headers: [(String, String)], body: [UInt8]) throws -> (status: Int, head: String, body: String) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = FaultProxy.loopback(port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw HarnessError("connect failed") }
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let bytes = Array(head.utf8) + body
        let total = bytes.count
        var offset = 0
        while offset < total {
            let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, total - offset, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { break }  // the hub may answer (413) and close before reading everything
            offset += written
        }
        return try HTTPGet.readResponse(fd)
    }
}

@Suite("Hub security and limits", .serialized)
struct HubSecurityTests {
    static func batch(node: String, sequence: Int64 = 1_800_000_000_000, series: Int = 3) -> UplinkBatch {
        let infos = (0..<series).map { SeriesKey(name: "node_load1", labels: ["cpu": "\($0)"], type: .gauge) }
        let block = Block(
            timestamps: [sequence, sequence + 1000],
            columns: 1,
            series: (0..<series).map { BlockSeries(id: Int64($0), present: nil, values: [[Double($0), Double($0) + 0.5]]) }
        )
        return UplinkBatch(node: node, stream: "metrics/raw/1s", sequence: sequence, tier: .raw, series: infos, block: block)
    }

    static func headers(_ hub: HubProcess, node: String, secret: String, token: String? = nil) -> [(String, String)] {
        [("Authorization", "Bearer " + (token ?? hub.token)), ("X-Edgewatch-Node", node), ("X-Edgewatch-Node-Secret", secret)]
    }

    static let secretA = String(repeating: "a", count: 32)
    static let secretB = String(repeating: "b", count: 32)

    @Test("no token, wrong token, another node's name, a mismatched batch node and a replay")
    func authentication() throws {
        let hub = try HubProcess()
        let body = Self.batch(node: "pi-a").compressed()
        var (status, text) = try RawPost.send(port: hub.port, path: "/api/v1/ingest", headers: [("X-Edgewatch-Node", "pi-a")], body: body)
        #expect(status == 401 && text.contains("join token"), "\(text)")
        (status, text) = try RawPost.send(
            port: hub.port,
            path: "/api/v1/ingest",
            headers: Self.headers(hub, node: "pi-a", secret: Self.secretA, token: "K10wrongwrongwrongwrong"),
            body: body
        )
        #expect(status == 401, "\(text)")
        (status, _) = try HTTPGet.fetch(port: hub.port, path: "/api/v1/nodes")
        #expect(status == 401, "reads need the token too")
        (status, text) = try RawPost.send(
            port: hub.port,
            path: "/api/v1/ingest",
            headers: Self.headers(hub, node: "pi-a", secret: Self.secretA),
            body: body
        )
        #expect(status == 200 && text.contains("\"duplicate\":false"), "\(text)")
        // The same node name with another secret: refused.
        (status, text) = try RawPost.send(
            port: hub.port,
            path: "/api/v1/ingest",
            headers: Self.headers(hub, node: "pi-a", secret: Self.secretB),
            body: Self.batch(node: "pi-a", sequence: 1_800_000_010_000).compressed()
        )
        #expect(status == 403 && text.contains("different node secret"), "\(text)")
        // Node b sending a batch that claims to be from a.
        (status, text) = try RawPost.send(
            port: hub.port,
            path: "/api/v1/ingest",
            headers: Self.headers(hub, node: "pi-b", secret: Self.secretB),
            body: body
        )
        #expect(status == 403 && text.contains("pi-a") && text.contains("sent as"), "\(text)")
        // Replay: answered 2xx, stored once.
        (status, text) = try RawPost.send(
            port: hub.port,
            path: "/api/v1/ingest",
            headers: Self.headers(hub, node: "pi-a", secret: Self.secretA),
            body: body
        )
        #expect(status == 200 && text.contains("\"duplicate\":true"), "\(text)")
        #expect(try hub.rawSamplesCounted(node: "pi-a").stored == 6)
        #expect(try hub.integer("SELECT duplicates FROM nodes WHERE name = 'pi-a'") == 1)
        #expect(FileManager.default.fileExists(atPath: hub.data + "/join-token"))
        let mode = (try FileManager.default.attributesOfItem(atPath: hub.data + "/join-token")[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
    }

    @Test("--token-file: the token from a file (a mounted Secret) is the one accepted; none is created; a missing or short one stops the hub")
    func tokenFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-token-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let token = "K10" + String(repeating: "s", count: 30)
        try (token + "\n").write(toFile: directory + "/token", atomically: true, encoding: .utf8)
        let hub = try HubProcess(extra: ["--token-file", directory + "/token"])
        let body = Self.batch(node: "pi-a").compressed()
        var (status, text) = try RawPost.send(
            port: hub.port,
            path: "/api/v1/ingest",
            headers: Self.headers(hub, node: "pi-a", secret: Self.secretA, token: token),
            body: body
        )
        #expect(status == 200, "\(text)")
        (status, text) = try RawPost.send(
            port: hub.port,
            path: "/api/v1/ingest",
            headers: Self.headers(hub, node: "pi-a", secret: Self.secretA, token: "K10wrongwrongwrongwrong"),
            body: body
        )
        #expect(status == 401, "\(text)")
        #expect(!FileManager.default.fileExists(atPath: hub.data + "/join-token"))
        let data = directory + "/data"
        let missing = try Harness.run(Harness.edgewatch, ["hub", "--listen", "127.0.0.1:0", "--data", data, "--token-file", directory + "/none"])
        #expect(missing.status == 78 && missing.stderr.contains("token_file: cannot read \(directory)/none"), "\(missing.stderr)")
        try "short".write(toFile: directory + "/short", atomically: true, encoding: .utf8)
        let short = try Harness.run(Harness.edgewatch, ["hub", "--listen", "127.0.0.1:0", "--data", data, "--token-file", directory + "/short"])
        #expect(short.status == 78 && short.stderr.contains("at least 16 characters"), "\(short.stderr)")
    }

    @Test("a second hub on the same SQLite data directory refuses to start; once the first is gone it starts")
    func oneHubPerDataDirectory() throws {
        let hub = try HubProcess()
        defer { hub.stop() }
        let second = try Harness.run(Harness.edgewatch, ["hub", "--listen", "127.0.0.1:0", "--data", hub.data])
        #expect(second.status != 0, "\(second.stderr)")
        #expect(second.stderr.contains("another edgewatch hub is using \(hub.data)"), "\(second.stderr)")
        #expect(try HTTPGet.fetch(port: hub.port, path: "/healthz").0 == 200, "the first hub runs on")
        hub.kill9()
        try hub.start()
        #expect(try HTTPGet.fetch(port: hub.port, path: "/healthz").0 == 200, "the lock died with the killed hub")
    }

    @Test("oversized, inflating, malformed and truncated bodies get 4xx naming the limit; memory stays bounded")
    func limits() throws {
        let hub = try HubProcess(extra: ["--max-body-bytes", "1048576", "--max-decompressed-bytes", "4194304"])
        let headers = Self.headers(hub, node: "pi-a", secret: Self.secretA)
        var (status, text) = try RawPost.send(port: hub.port, path: "/api/v1/ingest", headers: headers, body: [UInt8](repeating: 7, count: 2 << 20))
        #expect(status == 413 && text.contains("max_body_bytes"), "\(text)")
        // 1 GiB of zeros deflates to about 1 MiB; 256 MiB to about 256 KiB, well under the body limit.
        let bomb = Zlib.compress([UInt8](repeating: 0, count: 256 << 20), level: 9)
        #expect(bomb.count < 1 << 20)
        (status, text) = try RawPost.send(port: hub.port, path: "/api/v1/ingest", headers: headers, body: bomb)
        #expect(status == 413 && text.contains("max_decompressed_bytes"), "\(text)")
        (status, text) = try RawPost.send(port: hub.port, path: "/api/v1/ingest", headers: headers, body: Array("not zlib at all".utf8))
        #expect(status == 400 && text.contains("zlib"), "\(text)")
        let valid = Self.batch(node: "pi-a").compressed()
        (status, text) = try RawPost.send(port: hub.port, path: "/api/v1/ingest", headers: headers, body: Array(valid.prefix(valid.count / 2)))
        #expect(status == 400 && text.contains("truncated"), "\(text)")
        var garbage = Self.batch(node: "pi-a").encoded()
        garbage[0] = UInt8(ascii: "X")
        (status, text) = try RawPost.send(port: hub.port, path: "/api/v1/ingest", headers: headers, body: Zlib.compress(garbage))
        #expect(status == 400 && text.contains("bad magic"), "\(text)")
        var cut = Self.batch(node: "pi-a").encoded()
        cut.removeLast(5)
        (status, text) = try RawPost.send(port: hub.port, path: "/api/v1/ingest", headers: headers, body: Zlib.compress(cut))
        #expect(status == 400 && text.contains("truncated"), "\(text)")
        (status, text) = try RawPost.send(
            port: hub.port,
            path: "/api/v1/ingest",
            headers: [("Authorization", "Bearer " + hub.token), ("X-Edgewatch-Node", "pi-a")],
            body: valid
        )
        #expect(status == 400 && text.contains("X-Edgewatch-Node-Secret"), "\(text)")
        let peak =
            try String(contentsOfFile: "/proc/\(hub.process.processIdentifier)/status", encoding: .utf8)
            .split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        #expect(peak < 200 * 1024, "hub peak RSS \(peak) KiB after the bomb")
        #expect(try hub.integer("SELECT count(*) FROM blocks") == 0)
    }

    @Test("a slow client is disconnected and does not hold up others")
    func slowClient() throws {
        let hub = try HubProcess(extra: ["--idle-timeout", "2"])
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = FaultProxy.loopback(hub.port)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let partial = "POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nabc"
        _ = partial.withCString { Glibc.send(fd, $0, strlen($0), 0) }
        // Another client is served meanwhile.
        let (status, _) = try HTTPGet.fetch(port: hub.port, path: "/healthz")
        #expect(status == 200)
        // The stalled connection is closed by the hub after its idle timeout.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let started = Date()
        var buffer = [UInt8](repeating: 0, count: 1024)
        while recv(fd, &buffer, buffer.count, 0) > 0 {}
        #expect(Date().timeIntervalSince(started) < 8, "the hub kept a stalled connection open")
    }

    @Test("overload is answered 503 with Retry-After")
    func overload() throws {
        let hub = try HubProcess(extra: ["--max-concurrent-ingests", "0"])
        let reply = try RawPost.exchange(
            port: hub.port,
            path: "/api/v1/ingest",
            headers: Self.headers(hub, node: "pi-a", secret: Self.secretA),
            body: Self.batch(node: "pi-a").compressed()
        )
        #expect(reply.status == 503 && reply.body.contains("retry later"), "\(reply.body)")
        #expect(reply.head.lowercased().contains("retry-after: 2"), "\(reply.head)")
    }
}
