import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

/// The latest annotations of each alert (by its labels), so an export's alert history names the
/// summary and description the rules gave. Bounded: the oldest beyond ``maxAlertAnnotations`` go.
extension StoreWriter {
    public static let maxAlertAnnotations: Int64 = 10_000

    public func recordAlertAnnotations(_ changes: [(labels: Labels, annotations: [String: String])], at time: Int64) {
        for change in changes { pendingAnnotations.append((change.labels, change.annotations, time)) }
    }

    func writePendingAnnotations() throws(SQLiteError) {
        guard !pendingAnnotations.isEmpty else { return }
        for entry in pendingAnnotations {
            let labels = SeriesKey(name: "", labels: entry.labels, type: .gauge).encodedLabels
            let annotations = SeriesKey(name: "", labels: Labels(entry.annotations.map { Label($0.key, $0.value) }), type: .gauge).encodedLabels
            try database.statement("INSERT OR REPLACE INTO alert_annotations(labels, annotations, ts) VALUES(?, ?, ?)")
                .bind(1, labels).bind(2, annotations).bind(3, entry.time).run()
        }
        try database.statement(
            "DELETE FROM alert_annotations WHERE labels IN (SELECT labels FROM alert_annotations ORDER BY ts DESC LIMIT -1 OFFSET ?)"
        ).bind(1, Self.maxAlertAnnotations).run()
    }
}
