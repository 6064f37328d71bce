import EdgewatchBundle
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire

extension BundleImport {
    /// Stores the bundle window by window, each an idempotent batch under the uplink's key; a
    /// window the hub holds already is counted as a duplicate and left as it is.
    func store(into storage: any HubStorage, receivedAt time: Int64) throws -> ImportReply {
        var reply = ImportReply(node: manifest.node, skippedWindows: skippedWindows, samples: 0)
        var done = Set<Window>()
        var group: Int64?
        var points: [(key: SeriesKey, points: [(Int64, [Double])])] = []
        var lastOrdinal: Int64 = -1
        func emit() throws {
            guard let group, let window = windows[group] else { return }
            try storeWindow(window, points: points, into: storage, at: time, reply: &reply)
            done.insert(window)
        }
        try spill.forEach { (chunkGroup, ordinal, timestamps, columns) throws(BundleError) in
            if chunkGroup != group {
                do {
                    try emit()
                } catch {
                    throw BundleError.io(path: "hub storage", reason: "\(error)")
                }
                group = chunkGroup
                points = []
                lastOrdinal = -1
            }
            let values = columns.first ?? []
            let list = zip(timestamps, values).map { ($0, [$1]) }
            if ordinal == lastOrdinal, !points.isEmpty {
                points[points.count - 1].points += list
            } else {
                points.append((series[Int(ordinal)], list))
                lastOrdinal = ordinal
            }
        }
        try emit()
        // Windows with events or gaps but no samples.
        for window in Set(events.keys).union(gaps.keys).subtracting(done).sorted(by: { $0.sequence < $1.sequence }) {
            try storeWindow(window, points: [], into: storage, at: time, reply: &reply)
        }
        return reply
    }

    private func storeWindow(
        _ window: Window,
        points: [(key: SeriesKey, points: [(Int64, [Double])])],
        into storage: any HubStorage,
        at time: Int64,
        reply: inout ImportReply
    ) throws {
        let complete = Layout(manifest: manifest).isComplete(window)
        // Events of a window the bundle holds in part go in an import batch of their own: the
        // hub keeps each occurrence once by (node, uid, count), so the uplink's later batch adds nothing twice.
        let stream = complete ? window.stream : "events/import/" + window.stream
        // A series' chunks come in spill order; staleness markers arrive after its samples.
        let ordered = points.map { (key: $0.key, points: $0.points.sorted { $0.0 < $1.0 }) }
        let batch = UplinkBatch(
            node: manifest.node,
            stream: stream,
            sequence: window.sequence,
            tier: window.tier,
            points: ordered,
            columns: 1,
            gaps: gaps[window] ?? [],
            events: events[window] ?? []
        )
        if complete { reply.windows += 1 }
        if try storage.ingest(batch, receivedAt: time) {
            reply.stored += 1
            reply.samples += Int64(batch.sampleCount)
            reply.events += batch.events.count
        } else {
            reply.duplicates += 1
        }
    }
}
