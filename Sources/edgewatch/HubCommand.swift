import ArgumentParser
import EdgewatchCore
import EdgewatchHub
import EdgewatchWire
import Logging

/// `edgewatch hub`: the upstream aggregation endpoint.
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Run the hub: authenticated ingest from agents, fleet view, Prometheus query API.",
        discussion: """
            Examples: edgewatch hub --data /var/lib/edgewatch-hub
                      edgewatch hub --config /etc/edgewatch/hub.yaml --listen 0.0.0.0:9910
            On first start it creates a join token in the data directory (mode 0600) and prints its path; agents present it.
            """
    )

    @Option(help: "YAML config file (listen, data, storage.postgres.*, tls.*, retention.*, remote_write, idle_timeout, limits.*); flags override it.")
    var config: String?

    @Option(help: "Listen address host:port (default 127.0.0.1:9910).")
    var listen: String?

    @Option(help: "Data directory: SQLite database and join token (default /var/lib/edgewatch-hub).")
    var data: String?

    @Option(
        help:
            "PostgreSQL database shared by several hub replicas, e.g. postgres://edgewatch@db:5432/edgewatch (default: SQLite in the data directory)."
    )
    var postgres: String?

    @Option(help: "File holding the join token, e.g. a mounted Secret (default: join-token in the data directory, created on first start).")
    var tokenFile: String?

    @Option(help: "TLS certificate chain (PEM) to serve HTTPS with; reloaded on SIGHUP (needs --tls-key-file).")
    var tlsCertFile: String?

    @Option(help: "TLS private key (PEM) of --tls-cert-file.")
    var tlsKeyFile: String?

    @Option(help: "CA (PEM) that signs agents' client certificates; an agent's certificate CN must be its node name.")
    var tlsClientCaFile: String?

    @Flag(help: "Accept ingest without a token (only for trusted test networks).")
    var insecure = false

    @Option(help: "Largest compressed ingest body in bytes (default 8 MiB).")
    var maxBodyBytes: Int?

    @Option(help: "Largest ingest body after decompression in bytes, the zip-bomb guard (default 64 MiB).")
    var maxDecompressedBytes: Int?

    @Option(help: "Most samples one batch may carry (default 2000000).")
    var maxSamplesPerBatch: Int?

    @Option(help: "Ingest requests handled at once; more get 503 with Retry-After (default 8).")
    var maxConcurrentIngests: Int?

    @Option(help: "Seconds a connection may stay silent before it is closed (default 30).")
    var idleTimeout: Int64?

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = LogSetup.logger(label: "edgewatch.hub", level: logLevel)
        do {
            var configuration = HubConfiguration(listen: "127.0.0.1:9910", dataDirectory: "/var/lib/edgewatch-hub", insecure: insecure)
            if let config {
                guard let text = try? LocalFiles.read(config) else { throw HubError("\(config): cannot read") }
                do {
                    configuration = try configuration.merging(yaml: text, file: config)
                } catch {
                    throw HubError(error.description)
                }
            }
            if let listen { configuration.listen = listen }
            if let data { configuration.dataDirectory = data }
            if let tokenFile { configuration.tokenFile = tokenFile }
            if let postgres { configuration.postgresURL = postgres }
            if let tlsCertFile { configuration.tlsCertificateFile = tlsCertFile }
            if let tlsKeyFile { configuration.tlsKeyFile = tlsKeyFile }
            if let tlsClientCaFile { configuration.tlsClientCAFile = tlsClientCaFile }
            if let maxBodyBytes { configuration.maxBodyBytes = maxBodyBytes }
            if let maxDecompressedBytes { configuration.maxDecompressedBytes = maxDecompressedBytes }
            if let maxSamplesPerBatch { configuration.batchLimits.maxSamples = maxSamplesPerBatch }
            if let maxConcurrentIngests { configuration.maxConcurrentIngests = max(0, maxConcurrentIngests) }
            if let idleTimeout { configuration.idleTimeoutSeconds = max(1, idleTimeout) }
            let hub = Hub(configuration: configuration, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                // A burst of ingest or a large query frees its buffers in the arenas of the
                // threads that ran it; without a trim they stay resident while the hub idles.
                tasks.addTask { await ResidentFootprint.releaseFreeHeap(every: .seconds(60)) }
                try await hub.run()
                tasks.cancelAll()
            }
        } catch let error as HubError {
            StandardError.write("edgewatch hub: \(error)\n")
            throw ExitCode(78)
        }
    }
}
