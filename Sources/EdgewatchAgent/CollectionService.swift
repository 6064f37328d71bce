import EdgewatchCore
import EdgewatchEncoding
import EdgewatchNodeEvents
import EdgewatchStore
import HostCollectors
import HostFS
import Logging
import ServiceLifecycle

/// Runs the collectors every interval and hands each cycle to the store and the HTTP endpoint.
public struct CollectionService: Service, CustomStringConvertible {
    /// The service lifecycle logs services by description: a name, not a reflected dump of the fields.
    public var description: String { "CollectionService" }

    let collection: HostCollection
    let store: StoreService
    let latest: LatestSnapshot
    let interval: Duration
    let logger: Logger
    let agentMetrics: AgentMetrics
    let rules: RuleService?
    /// Node-local events: the node's name and the kernel log to read ("" for none).
    var nodeName = ""
    var kernelLogPath = ""

    public init(
        collection: HostCollection,
        store: StoreService,
        latest: LatestSnapshot,
        interval: Duration,
        agentMetrics: AgentMetrics,
        rules: RuleService? = nil,
        logger: Logger
    ) {
        self.collection = collection
        self.store = store
        self.latest = latest
        self.interval = interval
        self.agentMetrics = agentMetrics
        self.rules = rules
        self.logger = logger
    }

    /// Families recorded for /metrics only: per-cycle timings compress badly and say little later.
    static let notStored: Set<String> = ["node_scrape_collector_duration_seconds"]

    public func run() async throws {
        let clock = ContinuousClock()
        var next = clock.now
        // The boot id changes only with a reboot, which ends this process: read it once.
        let bootID = collection.context.proc.tree.optionalBootID ?? "unknown"
        var events = NodeEvents(
            node: nodeName,
            kernelLogPath: kernelLogPath,
            bootID: bootID,
            stored: await store.meta(NodeEvents.positionKey),
            sys: collection.context.sys.tree,
            proc: collection.context.proc.tree
        )
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let started = clock.now
            let snapshot = collection.collect()
            let elapsed = clock.now - started
            let cycle = CycleRecord(
                timestamp: snapshot.timestampMilliseconds,
                bootID: bootID,
                monotonicNanoseconds: BootClock.nanoseconds(),
                synchronized: snapshot.clockSynchronized ?? false,
                durationMicroseconds: Int64(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)
            )
            var samples: [(SeriesKey, Double)] = []
            samples.reserveCapacity(1024)
            for family in snapshot.families where !Self.notStored.contains(family.name) {
                for sample in family.samples {
                    samples.append((SeriesKey(name: family.name, labels: sample.labels, type: family.type), sample.value))
                }
            }
            let totals = await store.eventTotals()
            for (labels, value) in totals.samples {
                samples.append((SeriesKey(name: "edgewatch_events_total", labels: labels, type: .counter), value))
            }
            if let rules {
                let ruleStarted = clock.now
                samples += await rules.evaluate(at: cycle.timestamp, samples: samples)
                agentMetrics.recordRuleEvaluation(duration: clock.now - ruleStarted)
                let annotations = await rules.takeAnnotationChanges()
                if !annotations.isEmpty { await store.recordAlertAnnotations(annotations, at: cycle.timestamp) }
            }
            await store.append(cycle: cycle, samples: samples)
            let found = events.observe(snapshot, at: cycle.timestamp)
            if !found.events.isEmpty || found.position != nil {
                await store.record(found.events, metaKey: NodeEvents.positionKey, metaValue: found.position, now: cycle.timestamp)
            }
            agentMetrics.recordCycle(duration: elapsed)
            latest.update(snapshot, store: await store.statistics(), events: totals)
            next = next.advanced(by: interval)
            if next < clock.now { next = clock.now.advanced(by: interval) }  // fell behind: skip, do not burst
            let deadline = next
            do {
                try await cancelWhenGracefulShutdown { try await clock.sleep(until: deadline) }
            } catch {
                break
            }
        }
        logger.debug("collection stopped")
    }
}

extension FileTree {
    var optionalBootID: String? {
        guard let text = try? readValue("sys/kernel/random/boot_id"), !text.isEmpty else { return nil }
        return text
    }
}
