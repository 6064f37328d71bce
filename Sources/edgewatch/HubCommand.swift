import ArgumentParser
import EdgewatchHub
import Logging

/// `edgewatch hub`: the upstream aggregation endpoint.
struct HubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hub",
        abstract: "Run the hub: authenticated ingest from agents, fleet view, Prometheus query API.",
        discussion: "On first start it creates a join token in the data directory (mode 0600) and prints its path; agents present it."
    )

    @Option(help: "Listen address host:port.")
    var listen = "127.0.0.1:9910"

    @Option(help: "Data directory (SQLite database and join token).")
    var data = "/var/lib/edgewatch-hub"

    @Flag(help: "Accept ingest without a token (only for trusted test networks).")
    var insecure = false

    @Option(help: "Largest compressed ingest body in bytes.")
    var maxBodyBytes = 8 << 20

    @Option(help: "Largest ingest body after decompression in bytes (zip-bomb guard).")
    var maxDecompressedBytes = 64 << 20

    @Option(help: "Seconds a connection may stay silent before it is closed.")
    var idleTimeout: Int64 = 30

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = LogSetup.logger(label: "edgewatch.hub", level: logLevel)
        do {
            var configuration = HubConfiguration(listen: listen, dataDirectory: data, insecure: insecure)
            configuration.maxBodyBytes = maxBodyBytes
            configuration.maxDecompressedBytes = maxDecompressedBytes
            configuration.idleTimeoutSeconds = max(1, idleTimeout)
            try await Hub(configuration: configuration, logger: logger).run()
        } catch let error as HubError {
            StandardError.write("edgewatch hub: \(error)\n")
            throw ExitCode(78)
        }
    }
}
