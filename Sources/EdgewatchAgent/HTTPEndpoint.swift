import EdgewatchConfig
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The agent's local HTTP listener (one event-loop thread), stopped at graceful shutdown.
public struct HTTPEndpoint: Service, CustomStringConvertible {
    /// The service lifecycle logs services by description: a name, not a reflected dump of the fields.
    public var description: String { "HTTPEndpoint" }

    let address: ListenAddress
    let latest: LatestSnapshot
    let staleAfter: Duration
    let rules: RuleStatus?
    let logger: Logger

    public init(address: ListenAddress, latest: LatestSnapshot, staleAfter: Duration, rules: RuleStatus? = nil, logger: Logger) {
        self.address = address
        self.latest = latest
        self.staleAfter = staleAfter
        self.rules = rules
        self.logger = logger
    }

    public func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let latest = self.latest
        let staleAfter = self.staleAfter
        let rules = self.rules
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 64)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.maxMessagesPerRead, value: 4)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: .seconds(10)))
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                        try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(latest: latest, staleAfter: staleAfter, rules: rules))
                    }
                }
                .bind(host: address.host, port: address.port)
                .get()
        } catch {
            try? await group.shutdownGracefully()
            throw AgentError.listen("cannot listen on \(address.host):\(address.port): \(error)")
        }
        logger.info("listening", metadata: ["address": "\(address.host):\(address.port)"])
        try? await gracefulShutdown()
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}
