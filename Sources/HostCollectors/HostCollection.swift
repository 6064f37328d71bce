import EdgewatchCore
import HostFS
import Logging

/// The collectors module's façade: runs a set of collectors once and returns their samples
/// plus node_exporter's `node_scrape_collector_success` / `node_scrape_collector_duration_seconds`.
public struct HostCollection: Sendable {
    public var collectors: [any Collector]
    public var context: CollectionContext
    public var logger: Logger

    public init(collectors: [any Collector] = CollectorCatalog.all, context: CollectionContext = CollectionContext(), logger: Logger) {
        self.collectors = collectors
        self.context = context
        self.logger = logger
    }

    /// Runs every collector once, in order. Never throws: failures become success=0 and log lines.
    public func collect() -> MetricSnapshot {
        let clock = context.kernel.clockReading()
        let timestamp = clock.wall.milliseconds
        context.cache.nextCycle()
        context.cycleFiles.nextCycle()
        context.keptFiles?.sweep()
        var metrics = MetricSet()
        let stopwatch = ContinuousClock()
        for collector in collectors {
            var issues: [ParseIssue] = []
            var collected = MetricSet()
            let started = stopwatch.now
            var success = 1.0
            do {
                try collector.collect(into: &collected, context: context, issues: &issues)
            } catch {
                success = 0
                switch error {
                case .unavailable(let reason):
                    logger.debug("collector has no data", metadata: ["collector": "\(collector.name)", "reason": "\(reason)"])
                case .failed(let reason):
                    logger.error("collector failed", metadata: ["collector": "\(collector.name)", "reason": "\(reason)"])
                }
            }
            let elapsed = stopwatch.now - started
            // A malformed line stays malformed: say so once, then again every few minutes, not every cycle.
            for issue in issues where context.cache.isDue("issue/" + issue.description) {
                logger.warning("skipped malformed input", metadata: ["collector": "\(collector.name)", "issue": "\(issue)"])
            }
            metrics.merge(collected)
            let labels: Labels = ["collector": collector.name]
            metrics.add(
                "node_scrape_collector_duration_seconds",
                "node_exporter: Duration of a collector scrape.",
                .gauge,
                Self.seconds(elapsed),
                labels
            )
            metrics.add(
                "node_scrape_collector_success",
                "node_exporter: Whether a collector succeeded.",
                .gauge,
                success,
                labels
            )
        }
        context.cache.prune()
        let (families, duplicates) = metrics.sortedFamilies()
        for name in Set(duplicates).sorted() {
            logger.warning("dropped repeated series", metadata: ["metric": "\(name)"])
        }
        return MetricSnapshot(families: families, timestampMilliseconds: timestamp, clockSynchronized: clock.state?.isSynchronized)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
