import EdgewatchCore
import HostFS

/// node_exporter's `entropy`: available entropy and pool size from /proc/sys/kernel/random.
public struct EntropyCollector: Collector {
    public let name = "entropy"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        let tree = context.proc.tree
        let availablePath = "sys/kernel/random/entropy_avail"
        let text = try tree.required(availablePath)
        guard let available = NumberParsing.decimal(TextScanning.trimmed(text)) else {
            issues.append(ParseIssue(file: tree.path(availablePath), line: 1, message: "expected an integer, got \"\(TextScanning.trimmed(text.prefix(40)))\""))
            throw .failed("unreadable \(availablePath)")
        }
        metrics.add("node_entropy_available_bits", "Bits of available entropy.", .gauge, available)
        let poolPath = "sys/kernel/random/poolsize"
        let pool = try tree.required(poolPath)
        guard let poolSize = NumberParsing.decimal(TextScanning.trimmed(pool)) else {
            issues.append(ParseIssue(file: tree.path(poolPath), line: 1, message: "expected an integer, got \"\(TextScanning.trimmed(pool.prefix(40)))\""))
            throw .failed("unreadable \(poolPath)")
        }
        metrics.add("node_entropy_pool_size_bits", "Bits of entropy pool.", .gauge, poolSize)
    }
}
