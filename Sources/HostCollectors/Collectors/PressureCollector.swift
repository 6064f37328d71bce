import EdgewatchCore

/// node_exporter's `pressure`: PSI stall totals from /proc/pressure/{cpu,io,memory} (kernel ≥ 4.20
/// with CONFIG_PSI; Raspberry Pi kernels need `psi=1`).
public struct PressureCollector: Collector {
    public let name = "pressure"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        for resource in ["cpu", "io", "memory"] {
            let path = "pressure/\(resource)"
            let text: String
            do {
                text = try context.proc.tree.required(path)
            } catch {
                if case .unavailable = error {
                    throw .unavailable("pressure information is unavailable: needs Linux ≥ 4.20 with CONFIG_PSI (psi=1 on Raspberry Pi)")
                }
                throw error
            }
            let parsed = PressureParser.parse(text, file: context.proc.tree.path(path))
            issues += parsed.issues
            let totals = parsed.value
            if let some = totals.someTotal {
                metrics.add(
                    "node_pressure_\(resource)_waiting_seconds_total",
                    "Total time in seconds that processes have waited for \(resource).",
                    .counter,
                    some / 1e6
                )
            }
            if resource != "cpu", let full = totals.fullTotal {
                metrics.add(
                    "node_pressure_\(resource)_stalled_seconds_total",
                    "Total time in seconds no process could make progress due to \(resource) congestion.",
                    .counter,
                    full / 1e6
                )
            }
        }
    }
}
