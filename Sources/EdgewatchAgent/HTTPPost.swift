import NIOCore
import NIOHTTP1
import NIOPosix

/// A small HTTP/1.1 client for POSTing JSON over NIO (no Foundation): one request per
/// connection, with connect and overall timeouts.
enum HTTPPost {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// POSTs `body` and returns the response status code and body (at most 64 KiB).
    static func send(host: String, port: Int, path: String, body: String, contentType: String = "application/json",
                     timeout: Duration, group: any EventLoopGroup) async throws -> (status: Int, body: String) {
        try await withThrowingTaskGroup(of: (Int, String).self) { tasks in
            tasks.addTask {
                let channel = try await ClientBootstrap(group: group)
                    .connectTimeout(.seconds(max(1, timeout.components.seconds)))
                    .connect(host: host, port: port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHTTPClientHandlers()
                            return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                        }
                    }
                return try await channel.executeThenClose { inbound, outbound in
                    var headers = HTTPHeaders()
                    headers.add(name: "Host", value: "\(host):\(port)")
                    headers.add(name: "Content-Type", value: contentType)
                    headers.add(name: "Content-Length", value: String(body.utf8.count))
                    headers.add(name: "User-Agent", value: "edgewatch")
                    headers.add(name: "Connection", value: "close")
                    try await outbound.write(.head(HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: headers)))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
                    try await outbound.write(.end(nil))
                    var status = 0
                    var response = ""
                    for try await part in inbound {
                        switch part {
                        case .head(let head): status = Int(head.status.code)
                        case .body(let buffer):
                            if response.utf8.count < 65_536 { response += String(buffer: buffer) }
                        case .end: return (status, response)
                        }
                    }
                    throw Failure(description: "connection closed before the response ended")
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
}
