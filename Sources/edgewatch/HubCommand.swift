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

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        let logger = LogSetup.logger(label: "edgewatch.hub", level: logLevel)
        do {
            try await Hub(configuration: HubConfiguration(listen: listen, dataDirectory: data, insecure: insecure), logger: logger).run()
        } catch let error as HubError {
            StandardError.write("edgewatch hub: \(error)\n")
            throw ExitCode(78)
        }
    }
}
