/// The type of a metric family, as in the Prometheus and OpenMetrics data models.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter
    case gauge
    /// node_exporter's `untyped` (OpenMetrics `unknown`).
    case unknown
}
