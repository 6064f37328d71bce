import EdgewatchHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The agent's HTTP client against a server that answers before reading the whole body.
@Suite struct HTTPPostTests {
    @Test("a server that refuses before the body is all sent and closes: its answer is returned, not the failed write")
    func earlyAnswerWins() async throws {
        let server = try EarlyAnswerServer(response: "HTTP/1.1 400 Bad Request\r\nContent-Length: 7\r\nConnection: close\r\n\r\nrefused")
        defer { server.close() }
        // 256 MiB streamed in 64 KiB chunks: far more than the socket buffers hold while nobody reads.
        let chunk = ByteBuffer(repeating: 0x61, count: 65_536)
        let reply = try await HTTPPost.send(
            host: "127.0.0.1",
            port: Int(server.port),
            path: "/api/v1/import",
            length: 4_096 * 65_536,
            headers: [],
            timeout: .seconds(20),
            group: MultiThreadedEventLoopGroup.singleton
        ) { write in
            for _ in 0..<4_096 { try await write(chunk) }
        }
        #expect(reply.status == 400 && reply.body == "refused")
    }
}

/// A loopback server for one connection: reads the request head, answers, half-closes, and
/// closes the socket a moment later without reading the rest.
final class EarlyAnswerServer: Sendable {
    let port: UInt16
    private let listener: Int32

    init(response: String) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        guard bound, listen(listener, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
        self.listener = listener
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            var head = [UInt8](repeating: 0, count: 4_096)
            _ = recv(connection, &head, head.count, 0)
            _ = Array(response.utf8).withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            shutdown(connection, Int32(SHUT_WR))
            // A moment for the client to read the answer before the close resets the connection
            // (Linux drops unread data on a reset); a loaded machine needs more than 300 ms.
            usleep(2_000_000)
            Glibc.close(connection)
        }
    }

    func close() { Glibc.close(listener) }
}
