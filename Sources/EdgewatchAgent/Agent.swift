import EdgewatchConfig
import EdgewatchCore
import EdgewatchRules
import EdgewatchStore
import EdgewatchUplink
import HostCollectors
import HostFS
import Logging
import NIOPosix
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

    /// The uplink's settings when `uplink.url` is set: the join token read, the node secret loaded or created.
    func uplinkSettings() throws -> UplinkService.Settings? {
        guard !configuration.uplinkURL.isEmpty, let url = HTTPURL(configuration.uplinkURL) else { return nil }
        guard !configuration.uplinkTokenFile.isEmpty else {
            throw AgentError.uplink("uplink.token_file: expected the file holding the hub's join token (the hub prints where it is)")
        }
        guard let text = try? LocalFiles.read(configuration.uplinkTokenFile) else {
            throw AgentError.uplink("uplink.token_file: cannot read \(configuration.uplinkTokenFile)")
        }
        let token = text.filter { !$0.isWhitespace }
        let directory = storePath.lastIndex(of: "/").map { String(storePath[..<$0]) } ?? "."
        let secretPath = configuration.uplinkNodeSecretFile.isEmpty ? directory + "/node-secret" : configuration.uplinkNodeSecretFile
        let secret: String
        do {
            secret = try NodeSecret.loadOrCreate(at: secretPath)
        } catch {
            throw AgentError.uplink(error.description)
        }
        return UplinkService.Settings(
            url: url,
            token: token,
            node: configuration.nodeName.isEmpty ? NodeSecret.hostName() : configuration.nodeName,
            nodeSecret: secret,
            tier: configuration.uplinkResolution == "raw" ? .raw : .minute,
            maxBatchBytes: Int(configuration.uplinkMaxBatchBytes),
            bandwidth: configuration.uplinkBandwidth,
            storePath: storePath,
            statePath: storePath + "-uplink.db",
            windowMilliseconds: configuration.uplinkWindowMilliseconds
        )
    }

    public func run() async throws {
        let collectors = try configuration.collectors.map { try CollectorCatalog.select($0) } ?? CollectorCatalog.all
        let interval = Duration.milliseconds(configuration.collectIntervalMilliseconds)
        let store: StoreService
        do {
            store = try StoreService(
                configuration: StoreConfiguration(
                    path: storePath,
                    maxBytes: configuration.storeMaxBytes,
                    intervalMilliseconds: configuration.collectIntervalMilliseconds
                ),
                flushInterval: .milliseconds(configuration.storeFlushIntervalMilliseconds),
                logger: logger
            )
        } catch {
            throw AgentError.store("cannot open store \(storePath): \(error)")
        }
        let latest = LatestSnapshot()
        let collection = HostCollection(
            collectors: collectors,
            context: CollectionContext(
                proc: ProcFS(root: configuration.procfs),
                sys: SysFS(root: configuration.sysfs),
                rootfs: RootFS(root: configuration.rootfs)
            ),
            logger: logger
        )
        // One client event-loop thread serves the uplink and Alertmanager delivery.
        let uplink = try uplinkSettings()
        let uplinkMetrics = uplink.map { _ in UplinkMetrics() }
        let metrics = AgentMetrics(uplink: uplinkMetrics)
        var ruleService: RuleService?
        var ruleStatus: RuleStatus?
        if !ruleGroups.isEmpty {
            let status = RuleStatus()
            let service = RuleService(
                groups: ruleGroups,
                defaultInterval: configuration.ruleEvaluationIntervalMilliseconds,
                externalLabels: configuration.externalLabels,
                status: status,
                logger: logger
            )
            if let reader = try? StoreReader(path: storePath) {
                await service.loadHistory(from: reader, now: LiveHostKernel().wallTime().milliseconds)
            }
            ruleService = service
            ruleStatus = status
        }
        var services: [any Service] = [
            store,
            CollectionService(
                collection: collection,
                store: store,
                latest: latest,
                interval: interval,
                agentMetrics: metrics,
                rules: ruleService,
                ruleStatus: ruleStatus,
                logger: logger
            ),
        ]
        if !configuration.listen.isEmpty, let address = ListenAddress(configuration.listen) {
            services.append(HTTPEndpoint(address: address, latest: latest, staleAfter: interval * 3, rules: ruleStatus, logger: logger))
        }
        let notifies = ruleStatus != nil && !configuration.alertmanagers.isEmpty
        let clientGroup = uplink != nil || notifies ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        if let uplink, let uplinkMetrics, let clientGroup {
            services.append(UplinkService(settings: uplink, metrics: uplinkMetrics, group: clientGroup, logger: logger))
        }
        if let ruleStatus, notifies, let clientGroup {
            services.append(
                AlertmanagerNotifier(
                    urls: configuration.alertmanagers.compactMap(HTTPURL.init),
                    status: ruleStatus,
                    resendInterval: configuration.alertResendIntervalMilliseconds,
                    metrics: metrics,
                    group: clientGroup,
                    logger: logger
                )
            )
        }
        services.append(SystemdNotifier(latest: latest, interval: interval, logger: logger))
        logger.info(
            "agent starting",
            metadata: [
                "store": "\(storePath)", "interval_ms": "\(configuration.collectIntervalMilliseconds)",
                "max_bytes": "\(configuration.storeMaxBytes)", "listen": "\(configuration.listen)",
                "rule_groups": "\(ruleGroups.count)", "alertmanagers": "\(configuration.alertmanagers.count)",
            ]
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            try? await clientGroup?.shutdownGracefully()
            throw error
        }
        try? await clientGroup?.shutdownGracefully()
        logger.info("agent stopped")
    }
}
