import ArgumentParser
import EdgewatchBundle
import EdgewatchCore
import EdgewatchHTTPClient
import NIOCore
import NIOPosix
import NIOSSL

#if canImport(Glibc)
import Glibc
#endif

/// `edgewatch import`: sends bundles from `edgewatch export` to a hub, which stores what it does
/// not hold yet (the uplink's keys make a second import, or one over uplinked data, add nothing).
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Send export bundles to a hub (POST /api/v1/import).",
        discussion: """
            Example: edgewatch import incident.tar.gz --hub http://hub.example:9910 --token-file join-token
            Each bundle is verified here first (gzip, tar, manifest, sizes, SHA-256), then streamed to the hub, which
            verifies it again and stores it under the bundle's node. The node's secret is the agent's own
            (node-secret beside its store); a bundle of another node is refused.
            """
    )

    @Argument(help: "Bundle files (.tar.gz from edgewatch export).")
    var bundles: [String]

    @Option(help: "The hub, e.g. https://hub.example:9910.")
    var hub: String

    @Option(help: "CA (PEM) that signed an https:// hub's certificate (default: the system's roots).")
    var caFile: String?

    @Option(help: "File holding the hub's join token.")
    var tokenFile: String?

    @Option(help: "File holding the node's secret (default: node-secret beside the agent's default store).")
    var nodeSecretFile: String?

    func validate() throws {
        guard let url = HTTPURL(hub, allowingHTTPS: true) else {
            throw ValidationError("--hub: expected http://host:port or https://host:port, got \"\(hub)\"")
        }
        guard caFile == nil || url.secure else { throw ValidationError("--ca-file: only for an https:// --hub") }
        guard !bundles.isEmpty else { throw ValidationError("name at least one bundle") }
    }

    func run() async throws {
        guard let url = HTTPURL(hub, allowingHTTPS: true) else { throw ValidationError("--hub: expected http://host:port") }
        let tls: NIOSSLContext?
        do {
            tls = url.secure ? try ClientTLS.context(caFile: caFile ?? "", certificateFile: "", keyFile: "") : nil
        } catch {
            throw CommandFailure("--ca-file: cannot load \(caFile ?? ""): \(error)")
        }
        let token = try tokenFile.map { path in try LocalFiles.read(path).filter { !$0.isWhitespace } }
        let secretPath = nodeSecretFile ?? LocalFiles.directory(of: DefaultStore.path) + "/node-secret"
        let secret: String
        do {
            secret = try LocalFiles.read(secretPath).filter { !$0.isWhitespace }
        } catch {
            throw CommandFailure("\(error) (name the node's secret with --node-secret-file)")
        }
        var failed = false
        for path in bundles {
            do {
                let reply = try await send(path, to: url, tls: tls, token: token, secret: secret)
                StandardOutput.write("\(path): \(reply)\n")
            } catch {
                StandardError.write("edgewatch import: \(path): \(error)\n")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }

    /// Verifies the bundle locally, then streams it to the hub; the hub's JSON answer on success.
    private func send(_ path: String, to url: HTTPURL, tls: NIOSSLContext?, token: String?, secret: String) async throws -> String {
        let manifest = try await NIOThreadPool.singleton.runIfActive { try BundleReader.read(path: path) }
        guard let size = try InputFile(path: path).size() else { throw CommandFailure("not a regular file") }
        var headers = [
            ("Content-Type", "application/gzip"), ("X-Edgewatch-Node", manifest.node), ("X-Edgewatch-Node-Secret", secret),
        ]
        if let token { headers.append(("Authorization", "Bearer " + token)) }
        let reply = try await HTTPPost.send(
            host: url.host,
            port: url.port,
            path: url.pathPrefix + "/api/v1/import",
            length: size,
            headers: headers,
            timeout: .seconds(120 + size / 100_000),
            group: MultiThreadedEventLoopGroup.singleton,
            tls: tls
        ) { write in
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw CommandFailure(String(cString: strerror(errno))) }
            defer { close(descriptor) }
            var offset: Int64 = 0
            while offset < size {
                let at = offset
                let chunk = try await NIOThreadPool.singleton.runIfActive { () throws -> [UInt8] in
                    var bytes = [UInt8](repeating: 0, count: 1 << 16)
                    let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(at)) }
                    guard count > 0 else { throw CommandFailure("the file shrank while it was sent") }
                    return Array(bytes[0..<count])
                }
                offset += Int64(chunk.count)
                try await write(ByteBuffer(bytes: chunk))
            }
        }
        guard (200..<300).contains(reply.status) else { throw CommandFailure("hub answered \(reply.status): \(reply.body)") }
        return reply.body.filter { $0 != "\n" }
    }
}
