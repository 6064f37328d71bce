import ArgumentParser

/// The `edgewatch` command: observability and health for small k3s edge clusters.
@main
struct Edgewatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgewatch",
        abstract: "Observability and health daemon for small Kubernetes (k3s) edge clusters.",
        version: EdgewatchVersion.current,
        subcommands: [AgentCommand.self, CollectCommand.self, QueryCommand.self]
    )
}
