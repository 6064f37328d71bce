import EdgewatchConfig
import EdgewatchRules
import EdgewatchStore
import HostCollectors
import HostFS
import Logging
import ServiceLifecycle

/// The agent module's façade: builds the services from a configuration and runs them as one
/// ServiceGroup. Start order store → collection → HTTP → systemd; SIGTERM/SIGINT stop them in
/// reverse: STOPPING=1, close the listener, stop collecting, flush and close the store last.
public struct Agent: Sendable {
    public var configuration: AgentConfiguration
    public var storePath: String
    public var logger: Logger
    /// Rule groups loaded from `configuration.ruleFiles` (see ``loadRules(_:)``).
    public var ruleGroups: [RuleGroup]

    public init(configuration: AgentConfiguration, storePath: String, ruleGroups: [RuleGroup] = [], logger: Logger) {
        self.configuration = configuration
        self.storePath = storePath
        self.ruleGroups = ruleGroups
        self.logger = logger
    }

    /// Reads and checks every rule file the configuration names (globs expanded); errors are located.
    public static func loadRules(_ configuration: AgentConfiguration) throws -> [RuleGroup] {
        var groups: [RuleGroup] = []
        for pattern in configuration.ruleFiles {
            let paths = LocalFiles.glob(pattern)
            guard !paths.isEmpty else { throw AgentError.rules("\(pattern): no rule file matches") }
            for path in paths {
                groups += try RuleFileParser.parse(try LocalFiles.read(path), file: path)
            }
        }
        var seen: Set<String> = []
        for group in groups where !seen.insert(group.name).inserted {
            throw AgentError.rules("\(group.file):\(group.line): rule group \"\(group.name)\" is defined twice")
        }
        return groups
    }

    public func run() async throws {
        let collectors = try configuration.collectors.map { try CollectorCatalog.select($0) } ?? CollectorCatalog.all
        let interval = Duration.milliseconds(configuration.collectIntervalMilliseconds)
        let store: StoreService
        do {
            store = try StoreService(
                configuration: StoreConfiguration(path: storePath, maxBytes: configuration.storeMaxBytes, intervalMilliseconds: configuration.collectIntervalMilliseconds),
                flushInterval: .milliseconds(configuration.storeFlushIntervalMilliseconds),
                logger: logger
            )
        } catch {
            throw AgentError.store("cannot open store \(storePath): \(error)")
        }
        let latest = LatestSnapshot()
        let collection = HostCollection(
            collectors: collectors,
            context: CollectionContext(proc: ProcFS(root: configuration.procfs), sys: SysFS(root: configuration.sysfs), rootfs: RootFS(root: configuration.rootfs)),
            logger: logger
        )
        let metrics = AgentMetrics()
        var ruleService: RuleService?
        var ruleStatus: RuleStatus?
        if !ruleGroups.isEmpty {
            let status = RuleStatus()
            let service = RuleService(groups: ruleGroups, defaultInterval: configuration.ruleEvaluationIntervalMilliseconds,
                                      externalLabels: configuration.externalLabels, status: status, logger: logger)
            if let reader = try? StoreReader(path: storePath) {
                await service.loadHistory(from: reader, now: LiveHostKernel().wallTime().milliseconds)
            }
            ruleService = service
            ruleStatus = status
        }
        var services: [any Service] = [
            store,
            CollectionService(collection: collection, store: store, latest: latest, interval: interval, agentMetrics: metrics,
                              rules: ruleService, ruleStatus: ruleStatus, logger: logger),
        ]
        if !configuration.listen.isEmpty, let address = ListenAddress(configuration.listen) {
            services.append(HTTPEndpoint(address: address, latest: latest, staleAfter: interval * 3, rules: ruleStatus, logger: logger))
        }
        if let ruleStatus, !configuration.alertmanagers.isEmpty {
            services.append(AlertmanagerNotifier(urls: configuration.alertmanagers.compactMap(AlertmanagerURL.init), status: ruleStatus,
                                                 resendInterval: configuration.alertResendIntervalMilliseconds, metrics: metrics, logger: logger))
        }
        services.append(SystemdNotifier(latest: latest, interval: interval, logger: logger))
        logger.info("agent starting", metadata: [
            "store": "\(storePath)", "interval_ms": "\(configuration.collectIntervalMilliseconds)",
            "max_bytes": "\(configuration.storeMaxBytes)", "listen": "\(configuration.listen)",
            "rule_groups": "\(ruleGroups.count)", "alertmanagers": "\(configuration.alertmanagers.count)",
        ])
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
        logger.info("agent stopped")
    }
}
