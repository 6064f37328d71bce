import EdgewatchConfig
import EdgewatchCore
import EdgewatchHTTPClient
import EdgewatchKubernetes
import EdgewatchRules
import EdgewatchStore
import EdgewatchUplink
import HostCollectors
import HostFS
import Logging
import NIOPosix
import NIOSSL
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The agent module's façade: builds the services from a configuration and runs them as one
/// ServiceGroup. Start order store → collection → HTTP → systemd; SIGTERM/SIGINT stop them in
/// reverse: STOPPING=1, close the listener, stop collecting, flush and close the store last.
public struct Agent: Sendable {
    public var configuration: AgentConfiguration
    public var storePath: String
    public var logger: Logger
    /// Rule groups loaded from `configuration.ruleFiles` (see ``loadRules(_:)``).
    public var ruleGroups: [RuleGroup]
    /// Pod names from the apiserver's pod watch, for the collectors.
    let podDirectory = PodDirectory()

    public init(configuration: AgentConfiguration, storePath: String, ruleGroups: [RuleGroup] = [], logger: Logger) {
        self.configuration = configuration
        self.storePath = storePath
        self.ruleGroups = ruleGroups
        self.logger = logger
    }

    /// Reads and checks the built-in rule sets and every rule file the configuration names (globs
    /// expanded: a glob may match nothing, a plain path must exist); errors are located.
    public static func loadRules(_ configuration: AgentConfiguration) throws -> [RuleGroup] {
        var groups: [RuleGroup] = []
        for name in configuration.builtinRuleSets {
            guard BuiltinRuleSets.named(name) != nil else {
                throw AgentError.rules("rules.builtin: \"\(name)\" is not a built-in rule set (\(BuiltinRuleSets.names.joined(separator: ", ")))")
            }
            groups += try BuiltinRuleSets.groups(named: name)
        }
        for pattern in configuration.ruleFiles {
            let paths = LocalFiles.glob(pattern)
            guard !paths.isEmpty || pattern.contains(where: { "*?[".contains($0) }) else {
                throw AgentError.rules("\(pattern): no rule file matches")
            }
            for path in paths {
                groups += try RuleFileParser.parse(try LocalFiles.read(path), file: path)
            }
        }
        var first: [String: RuleGroup] = [:]
        for group in groups {
            guard let earlier = first[group.name] else {
                first[group.name] = group
                continue
            }
            let hint = earlier.file.hasPrefix("builtin:") ? " (set rules.builtin: [] to evaluate your own copy of a built-in set)" : ""
            throw AgentError.rules(
                "\(group.file):\(group.line): rule group \"\(group.name)\" is defined twice, first in \(earlier.file):\(earlier.line)\(hint)"
            )
        }
        return groups
    }

    /// This node's name: `node.name`, else the host name.
    var nodeName: String { configuration.nodeName.isEmpty ? NodeSecret.hostName() : configuration.nodeName }

    /// The uplink's settings when `uplink.url` is set: the join token read, the node secret loaded or created.
    func uplinkSettings() throws -> UplinkService.Settings? {
        guard !configuration.uplinkURL.isEmpty, let url = HTTPURL(configuration.uplinkURL, allowingHTTPS: true) else { return nil }
        let tls = try uplinkTLS(secure: url.secure)
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
        var settings = UplinkService.Settings(
            url: url,
            token: token,
            node: nodeName,
            nodeSecret: secret,
            tier: configuration.uplinkResolution == "raw" ? .raw : .minute,
            maxBatchBytes: Int(configuration.uplinkMaxBatchBytes),
            bandwidth: configuration.uplinkBandwidth,
            storePath: storePath,
            statePath: storePath + "-uplink.db",
            windowMilliseconds: configuration.uplinkWindowMilliseconds,
            intervalMilliseconds: configuration.collectIntervalMilliseconds,
            tls: tls
        )
        settings.cluster = configuration.clusterName
        return settings
    }

    /// The uplink's TLS context for an https:// hub; the TLS files without https are a mistake.
    private func uplinkTLS(secure: Bool) throws -> NIOSSLContext? {
        let (ca, certificate, key) = (configuration.uplinkCAFile, configuration.uplinkClientCertificateFile, configuration.uplinkClientKeyFile)
        guard secure else {
            guard ca.isEmpty, certificate.isEmpty, key.isEmpty else {
                throw AgentError.uplink("uplink.ca_file and uplink.client_*: only for an https:// uplink.url")
            }
            return nil
        }
        guard certificate.isEmpty == key.isEmpty else {
            throw AgentError.uplink("uplink.client_cert_file and uplink.client_key_file: set both or neither")
        }
        do {
            return try ClientTLS.context(caFile: ca, certificateFile: certificate, keyFile: key)
        } catch {
            throw AgentError.uplink("uplink TLS: cannot load \([ca, certificate, key].filter { !$0.isEmpty }.joined(separator: ", ")): \(error)")
        }
    }

    /// Journal capture runs when asked (`true`), or with `auto` when a journal directory is named
    /// or the system journal is kept in RAM only (no `/var/log/journal`): a persistent journal
    /// already outlives a reboot, and capture maps libsystemd (about 1.4 MiB of RSS).
    var capturesLogs: Bool {
        switch configuration.logsEnabled {
        case "true": return true
        case "false": return false
        default: return !configuration.journalDirectory.isEmpty || access("/var/log/journal", F_OK) != 0
        }
    }

    public func run() async throws {
        let store: StoreService
        let uplink = try uplinkSettings()
        var storeConfiguration = StoreConfiguration(
            path: storePath,
            maxBytes: configuration.storeMaxBytes,
            intervalMilliseconds: configuration.collectIntervalMilliseconds,
            nodeName: nodeName
        )
        storeConfiguration.logsMaxBytes = configuration.logsMaxBytes
        // With an uplink, pre-sync rows wait for the clock (or the wait's end) before going up.
        storeConfiguration.clockSyncWaitMilliseconds = uplink.map { _ in configuration.uplinkClockSyncWaitMilliseconds }
        storeConfiguration.metadata = [
            "cluster": configuration.externalLabels["cluster"] ?? "",
            "uplink_resolution": uplink?.tier.name ?? "",
            "uplink_window_s": uplink.map { String($0.windowMilliseconds / 1000) } ?? "",
        ]
        do {
            store = try StoreService(
                configuration: storeConfiguration,
                flushInterval: .milliseconds(configuration.storeFlushIntervalMilliseconds),
                logger: logger
            )
        } catch {
            throw AgentError.store("cannot open store \(storePath): \(error)")
        }
        let uplinkMetrics = uplink.map { _ in UplinkMetrics() }
        let kubernetes = try kubernetesSettings()
        let kubernetesMetrics = kubernetes.map { _ in KubernetesMetrics() }
        let metrics = AgentMetrics(uplink: uplinkMetrics, kubernetes: kubernetesMetrics)
        let rules = await ruleServices()
        // One client event-loop thread serves the uplink, Alertmanager delivery and the apiserver.
        let notifies = rules != nil && !configuration.alertmanagers.isEmpty
        let clientGroup = uplink != nil || notifies || kubernetes != nil ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        var services = try localServices(store: store, metrics: metrics, rules: rules)
        if let uplink, let uplinkMetrics, let clientGroup {
            let pending: UplinkService.PendingSource = { tier, from, to, era in await store.pendingView(tier: tier, from: from, to: to, era: era) }
            let service = UplinkService(settings: uplink, metrics: uplinkMetrics, group: clientGroup, logger: logger, pending: pending)
            services.insert(service, at: services.count - 1)
        }
        if let kubernetes, let kubernetesMetrics, let clientGroup {
            let now: @Sendable () -> Int64 = { LiveHostKernel().wallTime().milliseconds }
            let directory = podDirectory
            let source = KubernetesEventSource(
                settings: kubernetes,
                sink: StoreEventSink(store: store, now: now),
                metrics: kubernetesMetrics,
                group: clientGroup,
                logger: logger,
                now: now,
                podsChanged: { index in directory.update(Self.names(index)) }
            )
            services.insert(source, at: services.count - 1)
        }
        if capturesLogs {
            let capture = LogCapture(
                store: store,
                directory: configuration.journalDirectory.isEmpty ? nil : configuration.journalDirectory,
                units: configuration.logUnits,
                priority: configuration.logCapturePriority,
                required: configuration.logsEnabled == "true",
                logger: logger
            )
            services.insert(capture, at: services.count - 1)
        }
        if let rules, notifies, let clientGroup {
            let notifier = AlertmanagerNotifier(
                urls: configuration.alertmanagers.compactMap { HTTPURL($0) },
                status: rules.status,
                resendInterval: configuration.alertResendIntervalMilliseconds,
                metrics: metrics,
                group: clientGroup,
                logger: logger
            )
            services.insert(notifier, at: services.count - 1)
        }
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

    /// The rule service and the status it shares, with their window refilled from the store; nil
    /// without rule groups.
    private func ruleServices() async -> (service: RuleService, status: RuleStatus)? {
        guard !ruleGroups.isEmpty else { return nil }
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
        return (service, status)
    }

    private func collectionService(
        collection: HostCollection,
        store: StoreService,
        latest: LatestSnapshot,
        interval: Duration,
        metrics: AgentMetrics,
        rules: RuleService?
    ) -> CollectionService {
        var service = CollectionService(
            collection: collection,
            store: store,
            latest: latest,
            interval: interval,
            agentMetrics: metrics,
            rules: rules,
            logger: logger
        )
        service.nodeName = nodeName
        service.kernelLogPath = configuration.kernelLogPath
        return service
    }

    /// Store, collection, HTTP and systemd services in start order (the network clients go before
    /// the systemd one, which the caller keeps last).
    private func localServices(store: StoreService, metrics: AgentMetrics, rules: (service: RuleService, status: RuleStatus)?) throws -> [any Service]
    {
        let collectors = try configuration.collectors.map { try CollectorCatalog.select($0) } ?? CollectorCatalog.all
        let interval = Duration.milliseconds(configuration.collectIntervalMilliseconds)
        let latest = LatestSnapshot(metrics: metrics, rules: rules?.status)
        var context = CollectionContext(
            proc: ProcFS(root: configuration.procfs),
            sys: SysFS(root: configuration.sysfs),
            rootfs: RootFS(root: configuration.rootfs)
        )
        context.podDirectory = podDirectory
        // End-to-end tests step the clock and its sync state through a file (ClockFileKernel).
        let injected = ClockFileKernel.fromEnvironment(base: context.kernel)
        context.kernel = injected.kernel
        if let path = injected.path { logger.warning("wall clock and sync state read from a test file", metadata: ["path": "\(path)"]) }
        let collection = HostCollection(
            collectors: collectors,
            context: context,
            logger: logger
        )
        var services: [any Service] = [
            store,
            collectionService(collection: collection, store: store, latest: latest, interval: interval, metrics: metrics, rules: rules?.service),
        ]
        if !configuration.listen.isEmpty, let address = ListenAddress(configuration.listen) {
            services.append(HTTPEndpoint(address: address, latest: latest, staleAfter: interval * 3, rules: rules?.status, logger: logger))
        }
        services.append(SystemdNotifier(latest: latest, interval: interval, logger: logger))
        return services
    }
}
