import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A small HTTP/1.1 client for POSTing over NIO (no Foundation): one request per connection,
/// with connect and overall timeouts, over TLS when given a context.
public enum HTTPPost {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    public struct Reply: Sendable {
        public var status: Int
        public var body: String
        /// Seconds from a Retry-After header, if any.
        public var retryAfter: Int?
        /// The response's `X-Edgewatch-*` headers (names lowercased).
        public var edgewatchHeaders: [String: String] = [:]
    }

    /// POSTs `body` and returns the response status code and body (at most 64 KiB).
    public static func send(
        host: String,
        port: Int,
        path: String,
        body: String,
        contentType: String = "application/json",
        timeout: Duration,
        group: any EventLoopGroup
    ) async throws -> (status: Int, body: String) {
        let reply = try await send(
            host: host,
            port: port,
            path: path,
            body: Array(body.utf8),
            headers: [("Content-Type", contentType)],
            timeout: timeout,
            group: group
        )
        return (reply.status, reply.body)
    }

    /// POSTs bytes with extra headers; the whole exchange is bounded by `timeout`.
    public static func send(
        host: String,
        port: Int,
        path: String,
        body: [UInt8],
        headers extra: [(String, String)],
        timeout: Duration,
        group: any EventLoopGroup,
        tls: NIOSSLContext? = nil
    ) async throws -> Reply {
        try await send(
            host: host,
            port: port,
            path: path,
            length: Int64(body.count),
            headers: extra,
            timeout: timeout,
            group: group,
            tls: tls
        ) { write in
            try await write(ByteBuffer(bytes: body))
        }
    }

    /// POSTs `length` bytes that `body` produces chunk by chunk (a file, streamed with bounded memory).
    public static func send(
        host: String,
        port: Int,
        path: String,
        length: Int64,
        headers extra: [(String, String)],
        timeout: Duration,
        group: any EventLoopGroup,
        tls: NIOSSLContext? = nil,
        body: @escaping @Sendable (_ write: (ByteBuffer) async throws -> Void) async throws -> Void
    ) async throws -> Reply {
        try await withThrowingTaskGroup(of: Reply.self) { tasks in
            tasks.addTask {
                let channel = try await ClientBootstrap(group: group)
                    .connectTimeout(.seconds(max(1, timeout.components.seconds)))
                    .connect(host: host, port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if let tls {
                                let handler = try NIOSSLClientHandler(context: tls, serverHostname: ClientTLS.serverName(host))
                                try channel.pipeline.syncOperations.addHandler(handler)
                            }
                            try channel.pipeline.syncOperations.addHTTPClientHandlers()
                            return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                        }
                    }
                return try await channel.executeThenClose { inbound, outbound in
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: "\(host):\(port)")
                    for (name, value) in extra { headers.add(name: name, value: value) }
                    headers.add(name: "Content-Length", value: String(length))
                    headers.add(name: "User-Agent", value: "edgewatch")
                    headers.add(name: "Connection", value: "close")
                    // A server may answer before the body is all sent (a refusal) and close: the
                    // write then fails, and the answer it sent is what counts.
                    var sending: (any Error)?
                    func write(_ part: HTTPClientRequestPart) async throws {
                        do {
                            try await outbound.write(part)
                        } catch {
                            sending = error
                            throw error
                        }
                    }
                    do {
                        try await write(.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: headers)))
                        try await body { buffer in try await write(.body(.byteBuffer(buffer))) }
                        try await write(.end(nil))
                    } catch  where sending != nil {
                        // Read what the server answered, if anything.
                    }
                    do {
                        if let reply = try await Self.reply(from: inbound) { return reply }
                    } catch {
                        // The read's error says why the connection went (a TLS handshake refused,
                        // say); a failed write's "I/O on closed channel" does not.
                        throw (error as? ChannelError) == .ioOnClosedChannel ? sending ?? error : error
                    }
                    throw sending ?? Failure(description: "connection closed before the response ended")
                }
            }
            tasks.addTask {
                try await Task.sleep(for: timeout)
                throw Failure(description: "no response within \(timeout)")
            }
            defer { tasks.cancelAll() }
            guard let result = try await tasks.next() else { throw Failure(description: "no result") }
            return result
        }
    }

    /// The response read to its end (a body kept up to 64 KiB); nil when the connection closed first.
    private static func reply(from inbound: NIOAsyncChannelInboundStream<HTTPClientResponsePart>) async throws -> Reply? {
        var reply = Reply(status: 0, body: "", retryAfter: nil)
        for try await part in inbound {
            switch part {
            case .head(let head):
                reply.status = Int(head.status.code)
                reply.retryAfter = head.headers["Retry-After"].first.flatMap { Int($0) }
                for (name, value) in head.headers where name.lowercased().hasPrefix("x-edgewatch-") {
                    reply.edgewatchHeaders[name.lowercased()] = value
                }
            case .body(let buffer):
                if reply.body.utf8.count < 65_536 { reply.body += String(buffer: buffer) }
            case .end: return reply
            }
        }
        return nil
    }
}
