import EdgewatchHTTPClient
import FoundationEssentials
import NIOCore
import NIOSSL

/// GETs against the apiserver: whole list pages, and watch streams split into lines.
struct KubernetesClient: Sendable {
    let credentials: KubernetesCredentials
    let group: any EventLoopGroup
    private let http: HTTPStreamingGet
    /// Largest list page body and largest watch line kept (a bigger object is skipped and counted).
    static let maxListBytes = 64 << 20
    static let maxLineBytes = 1 << 20

    init(credentials: KubernetesCredentials, group: any EventLoopGroup, readTimeout: Duration) throws(KubernetesError) {
        self.credentials = credentials
        self.group = group
        var http = HTTPStreamingGet(host: credentials.host, port: credentials.port, tls: try credentials.tlsContext())
        http.readTimeout = readTimeout
        self.http = http
    }

    private var headers: [(String, String)] {
        credentials.currentToken().map { [("Authorization", "Bearer " + $0)] } ?? []
    }

    /// One list page.
    func list(_ path: String) async throws(KubernetesError) -> KubernetesList {
        var status = 0
        var body: [UInt8] = []
        try await request(path) {
            status = $0
        } body: { buffer throws(KubernetesError) in
            guard body.count + buffer.readableBytes <= Self.maxListBytes else {
                throw .transport("list page of \(path) exceeds \(Self.maxListBytes) bytes")
            }
            body += buffer.readableBytesView
        }
        try Self.check(status, body)
        do {
            return try JSONDecoder().decode(KubernetesList.self, from: Data(body))
        } catch {
            throw .transport("list page of \(path) is not a list: \(error)")
        }
    }

    /// A watch stream: `line` gets each complete line; lines over ``maxLineBytes`` are dropped
    /// and reported to `oversized`. Returns when the server ends the stream.
    func watch(_ path: String, line: (ArraySlice<UInt8>) async throws -> Void, oversized: () -> Void) async throws {
        var status = 0
        var errorBody: [UInt8] = []
        var pending: [UInt8] = []
        var skipping = false
        try await request(path) {
            status = $0
        } body: { buffer in
            guard status == 200 else {
                if errorBody.count < 65_536 { errorBody += buffer.readableBytesView }
                return
            }
            for byte in buffer.readableBytesView {
                if byte == UInt8(ascii: "\n") {
                    if !skipping, !pending.isEmpty { try await line(pending[...]) }
                    pending.removeAll(keepingCapacity: true)
                    skipping = false
                } else if !skipping {
                    pending.append(byte)
                    if pending.count > Self.maxLineBytes {
                        oversized()
                        skipping = true
                        pending = []
                    }
                }
            }
        }
        try Self.check(status, errorBody)
        // A stream cut mid-line ends with an incomplete object: it is not judged.
    }

    private func request(_ path: String, head: (Int) -> Void, body: (ByteBuffer) async throws -> Void) async throws(KubernetesError) {
        do {
            try await http.run(path: path, headers: headers, group: group, head: { head($0) }, body: body)
        } catch let error as KubernetesError {
            throw error
        } catch {
            throw .transport("\(credentials.host):\(credentials.port): \(error)")
        }
    }

    /// Maps an error status to what it means: 410 relist, 401/403 credentials, else a server error.
    static func check(_ status: Int, _ body: [UInt8]) throws(KubernetesError) {
        guard status != 200 else { return }
        let object = try? JSONDecoder().decode(StatusBody.self, from: Data(body))
        let message = object?.message ?? String(decoding: body.prefix(300), as: UTF8.self)
        if status == 410 { throw .expired(message) }
        throw .status(status, message)
    }

    struct StatusBody: Decodable {
        var message: String?
        var reason: String?
    }
}
