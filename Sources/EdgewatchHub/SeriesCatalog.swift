import EdgewatchCore

/// The series the hub's SQLite database holds (id and labels with `__name__` and `node`), indexed
/// by metric name: a query naming its metric looks at that metric's series, not the fleet's.
struct SeriesCatalog: Sendable {
    private var entries: [(id: Int64, labels: Labels)] = []
    private var byName: [String: [Int]] = [:]

    init(_ entries: [(id: Int64, labels: Labels)]) {
        add(contentsOf: entries)
    }

    mutating func add(contentsOf added: [(id: Int64, labels: Labels)]) {
        for entry in added {
            byName[entry.labels.metricName ?? "", default: []].append(entries.count)
            entries.append(entry)
        }
    }

    /// The series named `name`, or every series when nil.
    func series(named name: String?) -> [(id: Int64, labels: Labels)] {
        guard let name else { return entries }
        return (byName[name] ?? []).map { entries[$0] }
    }
}
