import ArgumentParser

/// Process entry: trims the resident footprint, then runs the command line.
@main
enum EdgewatchMain {
    static func main() async {
        ResidentFootprint.dropCodePages()
        await Edgewatch.main()
    }
}

/// The `edgewatch` command: observability and health for small k3s edge clusters.
struct Edgewatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edgewatch",
        abstract: "Observability and health daemon for small Kubernetes (k3s) edge clusters.",
        version: EdgewatchVersion.current,
        subcommands: [
            AgentCommand.self, CollectCommand.self, QueryCommand.self, EventsCommand.self, TopCommand.self, ExportCommand.self, ImportCommand.self,
            RulesCommand.self, HubCommand.self, DoctorCommand.self, CompletionCommand.self,
        ]
    )
}
