import Synchronization

/// The report each node sent last, so that storage is written only when a report changes (not
/// once per batch). Per hub process; a replica that has not seen a node writes its first report.
final class NodeReportCache: Sendable {
    private let reports = Mutex<[String: NodeReport]>([:])

    /// Whether `report` differs from what `node` reported last (and records it).
    func changed(_ report: NodeReport, node: String) -> Bool {
        reports.withLock { known in
            guard known[node] != report else { return false }
            known[node] = report
            return true
        }
    }

    /// Forgets a report that could not be stored, so the next batch tries again.
    func forget(node: String) {
        _ = reports.withLock { $0.removeValue(forKey: node) }
    }
}
