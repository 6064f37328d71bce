import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire
import Hummingbird
import HummingbirdCore
import Logging

/// The hub module's façade: opens the data directory (join token, SQLite database) and serves
/// the HTTP API until SIGTERM/SIGINT.
public struct Hub: Sendable {
    public var configuration: HubConfiguration
    public var logger: Logger

    public init(configuration: HubConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        guard let colon = configuration.listen.lastIndex(of: ":"), let port = Int(configuration.listen[configuration.listen.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw HubError("--listen: expected host:port like 127.0.0.1:9910, got \"\(configuration.listen)\"")
        }
        var host = String(configuration.listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        try HubFiles.makeDirectory(configuration.dataDirectory)
        let tokenPath = configuration.tokenFile.isEmpty ? configuration.dataDirectory + "/join-token" : configuration.tokenFile
        let (token, created) = try HubFiles.joinToken(at: tokenPath, create: configuration.tokenFile.isEmpty)
        let storage: SQLiteHubStorage
        do {
            storage = try SQLiteHubStorage(path: configuration.dataDirectory + "/hub.db")
        } catch {
            throw HubError("cannot open \(configuration.dataDirectory)/hub.db: \(error)")
        }
        if configuration.insecure {
            logger.warning("running with --insecure: ingest and queries need no token")
        } else {
            logger.notice(created ? "created the cluster join token" : "using the cluster join token", metadata: ["path": "\(tokenPath)"])
        }
        let routes = HubRoutes(configuration: configuration, storage: storage, joinToken: token, metrics: HubMetrics(), logger: logger)
        let application = Application(
            router: routes.router(),
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: .seconds(configuration.idleTimeoutSeconds))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "edgewatch-hub"),
            logger: logger
        )
        logger.notice("hub listening", metadata: ["address": "\(host):\(port)", "data": "\(configuration.dataDirectory)"])
        try await application.runService()
    }
}
