import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchRemoteWrite
import EdgewatchSQLite
import EdgewatchWire
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOPosix
import UnixSignals

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
        let lock = configuration.postgresURL.isEmpty ? try HubDataDirectoryLock(directory: configuration.dataDirectory) : nil
        defer { lock?.release() }
        let (storage, token) = try openStorage()
        if configuration.insecure { logger.warning("running with --insecure: ingest and queries need no token") }
        let metrics = HubMetrics()
        let senders = try remoteWriteSenders(storage: storage, metrics: metrics)
        var routes = HubRoutes(configuration: configuration, storage: storage, joinToken: token, metrics: metrics, logger: logger)
        let commits = NIOThreadPool(numberOfThreads: min(max(configuration.maxConcurrentIngests, 2), 64))
        commits.start()
        routes.commits = commits
        defer { commits.shutdownGracefully { _ in } }
        let certificates = try openCertificates()
        let http1 = HTTP1Channel.Configuration(idleTimeout: .seconds(configuration.idleTimeoutSeconds))
        let tls = try certificates?.serverConfiguration()
        let server = HTTPServerBuilder { responder in
            let channel = HTTP1Channel(responder: responder, configuration: http1)
            guard let tls else { return LoopBoundChannel(channel) }
            return LoopBoundChannel(try TLSChannel(channel, tlsConfiguration: tls))
        }
        if certificates == nil, !["127.0.0.1", "::1", "localhost"].contains(host), !host.hasPrefix("127.") {
            logger.warning("listening unencrypted on a non-loopback address: set tls.cert_file and tls.key_file", metadata: ["address": "\(host)"])
        }
        let application = Application(
            router: routes.router(),
            server: server,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "edgewatch-hub"),
            logger: logger
        )
        logger.notice(
            "hub listening",
            metadata: ["address": "\(host):\(port)", "data": "\(configuration.dataDirectory)", "tls": "\(certificates != nil)"]
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let certificates { group.addTask { await reloadOnHangup(certificates) } }
            for sender in senders { group.addTask { await sender.run() } }
            let upkeep = HubMaintenanceService(storage: storage, policy: configuration.retention, metrics: metrics, logger: logger)
            group.addTask { await upkeep.run() }
            // The server's accept loop on an event loop too, not on Swift's global pool: each new
            // connection otherwise woke a pool thread (futex) and handed its task back to a loop
            // (new-connection /healthz: 0.45–0.56 ms of the hub's CPU before, 0.38–0.40 after).
            try await withTaskExecutorPreference(EventLoopTaskExecutor(loop: MultiThreadedEventLoopGroup.singleton.next())) {
                try await application.runService()
            }
            group.cancelAll()
        }
    }

    /// A sender per remote_write target; the database's queues made to match the targets.
    private func remoteWriteSenders(storage: any HubStorage, metrics: HubMetrics) throws -> [RemoteWriteSender] {
        let targets = configuration.remoteWrite
        do {
            try storage.setRemoteWriteTargets(targets.map(\.name))
        } catch {
            throw HubError("remote_write: cannot set up the targets' queues: \(error)")
        }
        guard !targets.isEmpty else { return [] }
        do {
            try Snappy.load()
        } catch {
            throw HubError("remote_write: \(error)")
        }
        return try targets.map { target in
            do {
                let sender = try RemoteWriteSender(target: target, storage: storage, metrics: metrics, logger: logger)
                logger.notice("remote_write target", metadata: ["name": "\(target.name)", "rollups": "\(target.rollups.rawValue)"])
                return sender
            } catch {
                throw HubError("remote_write \(target.name): cannot load its TLS files: \(error)")
            }
        }
    }

    /// The TLS certificate and key when both are configured.
    private func openCertificates() throws -> HubCertificates? {
        let (certificate, key) = (configuration.tlsCertificateFile, configuration.tlsKeyFile)
        guard !certificate.isEmpty || !key.isEmpty else {
            guard configuration.tlsClientCAFile.isEmpty else { throw HubError("tls.client_ca_file needs tls.cert_file and tls.key_file") }
            return nil
        }
        guard !certificate.isEmpty, !key.isEmpty else { throw HubError("tls: set both tls.cert_file and tls.key_file") }
        do {
            return try HubCertificates(certificateFile: certificate, keyFile: key, clientCAFile: configuration.tlsClientCAFile)
        } catch {
            throw HubError("tls: cannot load \(certificate) and \(key): \(error)")
        }
    }

    /// Reads the certificate and key again on each SIGHUP, until cancelled.
    private func reloadOnHangup(_ certificates: HubCertificates) async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) {
            do {
                try certificates.reload()
                logger.notice("reloaded the TLS certificate and key")
            } catch {
                logger.error("cannot reload the TLS certificate and key; keeping the ones in use", metadata: ["error": "\(error)"])
            }
        }
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
