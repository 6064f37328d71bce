import EdgewatchConfig
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

    public init(configuration: AgentConfiguration, storePath: String, logger: Logger) {
        self.configuration = configuration
        self.storePath = storePath
        self.logger = logger
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
        var services: [any Service] = [
            store,
            CollectionService(collection: collection, store: store, latest: latest, interval: interval, agentMetrics: AgentMetrics(), logger: logger),
        ]
        if !configuration.listen.isEmpty, let address = ListenAddress(configuration.listen) {
            services.append(HTTPEndpoint(address: address, latest: latest, staleAfter: interval * 3, logger: logger))
        }
        services.append(SystemdNotifier(latest: latest, interval: interval, logger: logger))
        logger.info("agent starting", metadata: [
            "store": "\(storePath)", "interval_ms": "\(configuration.collectIntervalMilliseconds)",
            "max_bytes": "\(configuration.storeMaxBytes)", "listen": "\(configuration.listen)",
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
