import ArgumentParser
import EdgewatchCore
import EdgewatchExposition
import EdgewatchStore
import EdgewatchYAML
import HostFS

#if canImport(Glibc)
import Glibc
#endif

/// `edgewatch events`: Kubernetes and node-local events from the local store (read-only, also
/// while the agent runs).
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Show Kubernetes and node-local events kept in the local store.",
        discussion: """
            Examples: edgewatch events --since 6h --type Warning
                      edgewatch events --source node --reason OOMKilled --format json
            json prints one object per line with the keys time, first_seen, source, type, reason, object, message,
            count, uid and node. Node-local reasons are listed in the README.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(help: "Store file (default: the agent's default location).")
    var store: String?

    @OptionGroup var window: TimeWindowOptions

    @Option(help: "kubernetes or node.")
    var source: String?

    @Option(help: "Only this reason, e.g. OOMKilled, BackOff, FailedScheduling.")
    var reason: String?

    @Option(help: "Normal or Warning.")
    var type: String?

    @Option(help: "table (like kubectl get events) or json (one object per line).")
    var format: Format = .table

    func validate() throws {
        if let source, EventRecord.Source(rawValue: source) == nil {
            throw ValidationError("--source: expected kubernetes or node, got \"\(source)\"")
        }
        if let type, type != "Normal", type != "Warning" { throw ValidationError("--type: expected Normal or Warning, got \"\(type)\"") }
    }

    func run() throws {
        let now = LiveHostKernel().wallTime().milliseconds
        let (start, end) = try window.range(now: now)
        let path = store ?? DefaultStore.path
        guard access(path, R_OK) == 0 else { throw ValidationError("--store: cannot read \(path)") }
        let reader = try StoreReader(path: path)
        let filter = EventFilter(from: start, to: end, source: source.flatMap(EventRecord.Source.init), reason: reason, type: type)
        let events = try reader.events(matching: filter)
        switch format {
        case .json:
            var text = ""
            for event in events { text += try JSONDocument.encode(EventJSON(event)) + "\n" }
            StandardOutput.write(text)
        case .table:
            StandardOutput.write(EventTable.render(events, now: now))
        }
    }
}
