import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing

@testable import EdgewatchHub

@Suite("Connections served on their event loops")
struct LoopBoundChannelTests {
    @Test("a task preferring a loop's executor runs there, after suspending too; one preferring the global pool leaves it")
    func theExecutorRunsJobsOnItsLoop() async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopTaskExecutor(loop: loop)
        let (first, resumed, global) = try await withTaskExecutorPreference(executor) {
            let first = loop.inEventLoop
            try await Task.sleep(for: .milliseconds(2))
            let resumed = loop.inEventLoop
            let global = await withTaskExecutorPreference(globalConcurrentExecutor) { MultiThreadedEventLoopGroup.currentEventLoop }
            return (first, resumed, global)
        }
        #expect(first && resumed)
        #expect(global == nil, "a job for the global pool ran on an event loop")
    }

    @Test("a request's handler runs on the loop of its connection; without the wrapper it does not")
    func handlersRunOnTheirConnectionsLoop() async throws {
        let responder: HTTPChannelHandler.Responder = { _, writer, channel in
            let body = ByteBuffer(string: channel.eventLoop.inEventLoop ? "on its loop" : "elsewhere")
            let head = HTTPResponse(status: .ok, headerFields: [.contentLength: "\(body.readableBytes)"])
            try await writer.write(response: head, body: ResponseBody(byteBuffer: body))
        }
        #expect(try await Self.answer(LoopBoundChannel(HTTP1Channel(responder: responder))) == "on its loop")
        #expect(try await Self.answer(HTTP1Channel(responder: responder)) == "elsewhere")
    }

    /// The body a server of `channel` on a loopback port answers to one GET.
    static func answer(_ channel: some ServerChildChannel) async throws -> String {
        let (port, ready) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "test")
        logger.logLevel = .critical  // the server's stop logs the cancellation as an error
        let server = channel.server(
            configuration: ServerConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { ready.yield($0.localAddress?.port ?? 0) },
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: logger
        )
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                try await server.run()
                return nil
            }
            var ports = port.makeAsyncIterator()
            let bound = try #require(await ports.next())
            let body = try await Self.get(port: bound)
            group.cancelAll()
            return body
        }
    }

    /// One `GET /` over a fresh connection; the answer's body.
    static func get(port: Int) async throws -> String {
        let client = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) {
            channel in
            channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
        }
        return try await client.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"))
            var answer = ""
            for try await part in inbound { answer += String(buffer: part) }
            return String(answer.split(separator: "\r\n\r\n", maxSplits: 1).last ?? "")
        }
    }
}
