import EdgewatchCore

/// The ids of the hub's SQLite series by metric name, so a query naming its metric looks at that
/// metric's series only: 8 bytes a series, where label sets are cached only while in use
/// (``RecentEntries``). An index on `series(name)` would answer the same, but writing it for every
/// new series cost a node's first batch a fifth of its ingest rate (a million series over the
/// fleet's hundred names, each insert at the end of its name's run).
struct SeriesIDsByName: Sendable {
    private var byName: [String: [Int64]] = [:]
    /// Series held.
    private(set) var count = 0

    /// Adds series by id and name.
    mutating func add(id: Int64, name: String) {
        byName[name, default: []].append(id)
        count += 1
    }

    /// Adds committed series (labels with `__name__`).
    mutating func add(_ series: [(id: Int64, labels: Labels)]) {
        for entry in series { add(id: entry.id, name: entry.labels.metricName ?? "") }
    }

    /// The ids of the series named `name`.
    func ids(named name: String) -> [Int64] { byName[name] ?? [] }

    /// The ids of the series whose names `taken` takes; nil when it takes every name.
    func ids(namedWhere taken: (String) -> Bool) -> [Int64]? {
        let names = byName.keys.filter(taken)
        guard names.count < byName.count else { return nil }
        return names.flatMap { byName[$0] ?? [] }
    }

    /// Every name a series has.
    var names: [String] { Array(byName.keys) }
}
