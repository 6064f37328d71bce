import EdgewatchCore
import EdgewatchEncoding

/// The ids of the hub's SQLite series by metric name, so a query naming its metric looks at that
/// metric's series only, where label sets are cached only while in use (``RecentEntries``). An
/// index on `series(name)` would answer the same, but writing it for every new series cost a
/// node's first batch a fifth of its ingest rate (a million series over the fleet's hundred
/// names, each insert at the end of its name's run).
///
/// A name's ids are kept as varints of the difference from the id before (zigzag, so any order
/// round-trips): a fleet's series of one name are created node after node, a few hundred ids
/// apart, so about 2 bytes a series where an array of ids took 8.
struct SeriesIDsByName: Sendable {
    private var byName: [String: Run] = [:]
    /// Series held.
    private(set) var count = 0

    /// One name's ids, in the order they were added.
    private struct Run: Sendable {
        var deltas: [UInt8] = []
        var last: Int64 = 0

        mutating func append(_ id: Int64) {
            Varint.append(signed: id &- last, to: &deltas)
            last = id
        }

        var ids: [Int64] {
            var ids: [Int64] = []
            var id: Int64 = 0
            var index = 0
            // The bytes are this run's own, written whole by `append`.
            while index < deltas.count, let delta = try? Varint.readSigned(deltas, at: &index) {
                id &+= delta
                ids.append(id)
            }
            return ids
        }
    }

    /// Adds series by id and name.
    mutating func add(id: Int64, name: String) {
        byName[name, default: Run()].append(id)
        count += 1
    }

    /// Adds committed series (labels with `__name__`).
    mutating func add(_ series: [(id: Int64, labels: Labels)]) {
        for entry in series { add(id: entry.id, name: entry.labels.metricName ?? "") }
    }

    /// Drops series retention deleted.
    mutating func remove(_ series: [PrunedSeries]) {
        for (name, gone) in Dictionary(grouping: series, by: { $0.labels.metricName ?? "" }) {
            guard let run = byName[name] else { continue }
            let dropped = Set(gone.map(\.id))
            var kept = Run()
            var removed = 0
            for id in run.ids {
                if dropped.contains(id) { removed += 1 } else { kept.append(id) }
            }
            byName[name] = kept.deltas.isEmpty ? nil : kept
            count -= removed
        }
    }

    /// The ids of the series named `name`.
    func ids(named name: String) -> [Int64] { byName[name]?.ids ?? [] }

    /// The ids of the series whose names `taken` takes; nil when it takes every name.
    func ids(namedWhere taken: (String) -> Bool) -> [Int64]? {
        let names = byName.keys.filter(taken)
        guard names.count < byName.count else { return nil }
        return names.flatMap { byName[$0]?.ids ?? [] }
    }

    /// Every name a series has.
    var names: [String] { Array(byName.keys) }
}
