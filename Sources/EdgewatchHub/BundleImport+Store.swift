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
            let list = timestamps.indices.map { row in (timestamps[row], columns.map { $0[row] }) }
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
        let complete = ImportLayout(manifest: manifest).isComplete(window)
        // Events of a window the bundle holds in part go in an import batch of their own: the
        // hub keeps each occurrence once by (node, uid, count), so the uplink's later batch adds nothing twice.
        let stream = complete ? window.stream : "events/import/" + window.stream
        // A series' chunks come in spill order; staleness markers arrive after its samples. A window
        // at the seam of two resolutions may mix summaries with last values: then all give their last.
        let widths = Set(points.flatMap { $0.points.map(\.1.count) })
        let columns = widths.count == 1 ? widths.first ?? 1 : 1
        let ordered = points.map { entry in
            (key: entry.key, points: entry.points.sorted { $0.0 < $1.0 }.map { ($0.0, columns == $0.1.count ? $0.1 : [$0.1.last ?? .nan]) })
        }
        let batch = UplinkBatch(
            node: manifest.node,
            stream: stream,
            sequence: window.sequence,
            tier: window.tier,
            downgradedFrom: window.downgradedFrom,
            points: ordered,
            columns: columns,
            gaps: gaps[window] ?? [],
            events: events[window] ?? []
        )
        if complete { reply.windows += 1 }
        // A whole window is not stored over slots of it the uplink delivered alone (the rest follows from the uplink).
        if try storage.ingest(batch, receivedAt: time, exclusive: complete) {
            reply.stored += 1
            reply.samples += Int64(batch.sampleCount)
            reply.events += batch.events.count
        } else {
            reply.duplicates += 1
        }
    }
}
