import EdgewatchCore

/// One collector: reads one area of the host through the context's roots and adds samples.
///
/// A collector is a thin layer over pure parsers. It throws ``CollectorError`` when it has no
/// data at all (its `node_scrape_collector_success` becomes 0); lines it could not parse are
/// reported through `issues` and skipped.
public protocol Collector: Sendable {
    /// The collector's name (node_exporter's, for node_exporter collectors).
    var name: String { get }
    /// Adds this collector's samples to `metrics`.
    func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError)
}
