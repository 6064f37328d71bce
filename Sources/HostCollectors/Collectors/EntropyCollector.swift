import EdgewatchCore
import HostFS

/// node_exporter's `entropy`: available entropy and pool size from /proc/sys/kernel/random.
public struct EntropyCollector: Collector {
    public let name = "entropy"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let tree = context.proc.tree
        let available = try tree.requiredNumber("sys/kernel/random/entropy_avail", issues: &issues)
        metrics.add("node_entropy_available_bits", "Bits of available entropy.", .gauge, available)
        let poolSize = try tree.requiredNumber("sys/kernel/random/poolsize", issues: &issues)
        metrics.add("node_entropy_pool_size_bits", "Bits of entropy pool.", .gauge, poolSize)
    }
}
