import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchSQLite
import EdgewatchWire
import Hummingbird
import HummingbirdCore
import Logging

/// The hub module's façade: opens the storage (SQLite in the data directory, or a PostgreSQL shared
/// by replicas) and the join token, and serves the HTTP API until SIGTERM/SIGINT.
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
        let (storage, token) = try openStorage()
        if configuration.insecure { logger.warning("running with --insecure: ingest and queries need no token") }
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

    /// The storage and the join token: a token file when one is configured; else, with
    /// PostgreSQL, the token the first replica stored there; else `join-token` in the data directory.
    private func openStorage() throws -> (any HubStorage, String) {
        let tokenPath = configuration.tokenFile.isEmpty ? configuration.dataDirectory + "/join-token" : configuration.tokenFile
        guard !configuration.postgresURL.isEmpty else {
            let (token, created) = try HubFiles.joinToken(at: tokenPath, create: configuration.tokenFile.isEmpty)
            let storage: SQLiteHubStorage
            do {
                storage = try SQLiteHubStorage(path: configuration.dataDirectory + "/hub.db")
            } catch {
                throw HubError("cannot open \(configuration.dataDirectory)/hub.db: \(error)")
            }
            logTokenSource(created: created, at: tokenPath)
            return (storage, token)
        }
        do {
            let storage = try PostgresHubStorage(conninfo: configuration.postgresURL, poolSize: configuration.postgresPoolSize)
            logger.notice("storage: PostgreSQL", metadata: ["pool": "\(configuration.postgresPoolSize)"])
            if !configuration.tokenFile.isEmpty {
                let (token, _) = try HubFiles.joinToken(at: tokenPath, create: false)
                logTokenSource(created: false, at: tokenPath)
                return (storage, token)
            }
            let (token, created) = try storage.sharedJoinToken(candidate: "K10" + Secrets.randomToken(bytes: 24))
            if !configuration.insecure {
                logger.notice(created ? "created the cluster join token in PostgreSQL" : "using the cluster join token stored in PostgreSQL")
            }
            return (storage, token)
        } catch let error as PostgresError {
            throw HubError("storage.postgres: \(error)")
        }
    }

    private func logTokenSource(created: Bool, at path: String) {
        guard !configuration.insecure else { return }
        logger.notice(created ? "created the cluster join token" : "using the cluster join token", metadata: ["path": "\(path)"])
    }
}
