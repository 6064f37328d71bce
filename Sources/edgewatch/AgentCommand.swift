import ArgumentParser
import EdgewatchAgent
import EdgewatchConfig
import EdgewatchCore
import EdgewatchRules
import EdgewatchYAML
import HostCollectors
import HostFS
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// `edgewatch agent`: the node daemon.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run the node daemon: collect into the local store, evaluate rules, serve /metrics and forward to the hub.",
        discussion: """
            Examples: edgewatch agent
                      edgewatch agent --config /etc/edgewatch/edgewatch.yaml
                      edgewatch agent --store /tmp/store.db --interval 1s --rules config/node-mixin.rules.yaml
                      edgewatch agent --node-name "$NODE_NAME" --config /etc/edgewatch/edgewatch.yaml
            Works without a config file. SIGTERM or SIGINT stop it gracefully: stop collecting, flush, close the store.
            """
    )

    @Option(help: "YAML config file (see config/edgewatch.yaml).")
    var config: String?

    @Option(help: "Store file (default: /var/lib/edgewatch/store.db as root, else ~/.local/state/edgewatch/store.db).")
    var store: String?

    @Option(help: "Collection interval, e.g. 10s.")
    var interval: String?

    @Option(help: "This node's name (node.name; in a DaemonSet, from the downward API's spec.nodeName).")
    var nodeName: String?

    @Option(help: "HTTP listen address host:port, or \"\" to disable.")
    var listen: String?

    @Option(name: .customLong("rules"), help: "A Prometheus rule file to evaluate (repeatable; added to rules.files).")
    var ruleFiles: [String] = []

    @Option(help: "Log level on standard error: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        do {
            try await runAgent()
        } catch let failure as ConfigurationFailure {
            StandardError.write("edgewatch: \(failure)\n")
            throw ExitCode(AgentExit.configuration)
        } catch let error as AgentError {
            StandardError.write("edgewatch: \(error)\n")
            throw ExitCode(AgentExit.code(for: error))
        }
    }

    /// The configuration in `config` (the defaults without one), rule files made relative to it.
    static func configuration(from config: String?) throws(ConfigurationFailure) -> AgentConfiguration {
        guard let config else { return AgentConfiguration() }
        let text: String
        do {
            text = try LocalFiles.read(config)
        } catch {
            throw ConfigurationFailure("\(config): cannot read: \(error)")
        }
        var configuration: AgentConfiguration
        do {
            configuration = try AgentConfiguration.parse(
                text,
                file: config,
                knownCollectors: CollectorCatalog.names,
                knownRuleSets: BuiltinRuleSets.names
            )
        } catch {
            throw ConfigurationFailure(error.description)
        }
        // Rule files are relative to the config file, as in Prometheus.
        let directory = LocalFiles.directory(of: config)
        configuration.ruleFiles = configuration.ruleFiles.map { $0.hasPrefix("/") || directory == "." ? $0 : directory + "/" + $0 }
        return configuration
    }

    private func runAgent() async throws {
        var configuration = try Self.configuration(from: config)
        configuration.ruleFiles += ruleFiles
        if let interval {
            guard let milliseconds = ValueParsing.duration(interval), milliseconds >= 100 else {
                throw ConfigurationFailure("--interval: expected a duration like 10s or 1m of at least 100ms, got \"\(interval)\"")
            }
            configuration.collectIntervalMilliseconds = milliseconds
        }
        if let listen {
            guard listen.isEmpty || ListenAddress(listen) != nil else {
                throw ConfigurationFailure("--listen: expected host:port like 127.0.0.1:9909, or \"\" to disable, got \"\(listen)\"")
            }
            configuration.listen = listen
        }
        if let store { configuration.storePath = store }
        if let nodeName { configuration.nodeName = nodeName }
        let storePath = configuration.storePath.isEmpty ? DefaultStore.path : configuration.storePath
        do {
            try Directories.createParent(of: storePath)
        } catch {
            throw AgentError.store("\(error)")
        }
        let logger = LogSetup.logger(label: "edgewatch.agent", level: logLevel)
        let groups: [RuleGroup]
        do {
            groups = try Agent.loadRules(configuration)
        } catch {
            throw ConfigurationFailure("\(error)")
        }
        let agent = Agent(configuration: configuration, storePath: storePath, ruleGroups: groups, logger: logger)
        ResidentFootprint.mapLargeBlocks()
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            // Start-up's code (parsing, opening, the first flush and rollup) is not run again.
            tasks.addTask { await ResidentFootprint.dropCodePages(after: .seconds(150)) }
            tasks.addTask { await ResidentFootprint.releaseFreeHeap(every: .seconds(60)) }
            try await agent.run()
            tasks.cancelAll()
        }
    }
}

/// A refusal to start, printed as `edgewatch: <message>` with exit status 78 (EX_CONFIG).
struct ConfigurationFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The store location when neither flag nor config names one.
enum DefaultStore {
    static var path: String {
        let environment = ["HOME": getenv("HOME"), "XDG_STATE_HOME": getenv("XDG_STATE_HOME")].compactMapValues { $0.map { String(cString: $0) } }
        return AgentConfiguration.defaultStorePath(isRoot: getuid() == 0, environment: environment)
    }
}

/// mkdir -p for the store's directory.
enum Directories {
    static func createParent(of path: String) throws {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().map(String.init)
        guard !parts.isEmpty else { return }
        var current = parts.removeFirst()
        for part in parts where !part.isEmpty {
            current += "/" + part
            if mkdir(current, 0o750) != 0, errno != EEXIST {
                throw ConfigurationFailure("cannot create directory \(current): \(String(cString: strerror(errno)))")
            }
        }
    }
}
