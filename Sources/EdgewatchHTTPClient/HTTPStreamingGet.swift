import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A GET whose body is handed over as it arrives (list pages, watch streams), over plain TCP or
/// TLS. A connection that stays silent longer than `readTimeout` is closed (a hung stream ends
/// with an error instead of waiting forever).
public struct HTTPStreamingGet: Sendable {
    public var host: String
    public var port: Int
    /// Client TLS (trust roots, client certificate); nil for plain HTTP.
    public var tls: NIOSSLContext?
    public var connectTimeout: Duration = .seconds(10)
    public var readTimeout: Duration = .seconds(30)

    public init(host: String, port: Int, tls: NIOSSLContext?) {
        self.host = host
        self.port = port
        self.tls = tls
    }

    /// Sends `GET path` with `headers`; `head` gets the status, `body` each part of the body.
    public func run(
        path: String,
        headers extra: [(String, String)],
        group: any EventLoopGroup,
        head: (Int) async throws -> Void,
        body: (ByteBuffer) async throws -> Void
    ) async throws {
        let channel = try await connect(group: group)
        try await channel.executeThenClose { inbound, outbound in
            var headers = HTTPHeaders()
            headers.add(name: "Host", value: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
            headers.add(name: "User-Agent", value: "edgewatch")
            headers.add(name: "Accept", value: "application/json")
            for (name, value) in extra { headers.add(name: name, value: value) }
            try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: headers)))
            try await outbound.write(.end(nil))
            for try await part in inbound {
                switch part {
                case .head(let response): try await head(Int(response.status.code))
                case .body(let buffer): try await body(buffer)
                case .end: return
                }
            }
            throw HTTPPost.Failure(description: "connection closed before the response ended")
        }
    }

    private func connect(group: any EventLoopGroup) async throws -> NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart> {
        let tls = tls
        let host = host
        let idle = TimeAmount.nanoseconds(Int64(readTimeout.components.seconds) * 1_000_000_000 + readTimeout.components.attoseconds / 1_000_000_000)
        // SNI carries names only; an IP address is checked against the certificate's IP SANs.
        let serverName = host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host
        return try await ClientBootstrap(group: group)
            .connectTimeout(.seconds(max(1, connectTimeout.components.seconds)))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: serverName))
                    }
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                    try channel.pipeline.syncOperations.addHandler(IdleCloser())
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                }
            }
    }
}

/// Closes the connection when the idle-state handler reports a read timeout.
final class IdleCloser: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            context.fireErrorCaught(HTTPPost.Failure(description: "no data from the server for the read timeout"))
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
