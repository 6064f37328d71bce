import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL
import EdgewatchSQLite

/// The series a query looks at: ids by name (``SQLiteHubStorage/namedIDs``), label sets from
/// ``SQLiteHubStorage/seriesLabels`` when read lately, else parsed from the table and kept.
extension SQLiteHubStorage {
    /// Ids and label sets (with `__name__`) of the series named `name`, or of every series when nil
    /// (of those in `among` when given, and of the names the `matchers` of `__name__` take), as
    /// `reader` sees them.
    func stored(
        named name: String?,
        among: Set<Int64>? = nil,
        matching matchers: [LabelMatcher] = [],
        _ reader: SQLiteDatabase
    ) throws(SQLiteError) -> [(id: Int64, labels: Labels)] {
        if let name { return try labels(of: namedIDs.withLock { $0.ids(named: name) }, keep: true, reader) }
        var among = among
        // A pattern of names (`{__name__=~"node_.*"}`): only the ids of the names it takes.
        let nameMatchers = matchers.filter { $0.name == "__name__" }
        let (named, count) = namedIDs.withLock { byName in
            (nameMatchers.isEmpty ? nil : byName.ids { name in nameMatchers.allSatisfy { $0.matches(name) } }, byName.count)
        }
        if let named { among = among.map { $0.intersection(named) } ?? Set(named) }
        // A few of many (a node's series, a few names'): by id rather than a pass over the table.
        if let among, among.count * 8 < count { return try labels(of: Array(among), keep: false, reader) }
        return try seriesLabels.withLock { cache throws(SQLiteError) in try Self.every(among: among, reader, &cache, now: HubClock.now()) }
    }

    /// The label sets (with `__name__`) of `ids`: those read lately from the cache, the others by
    /// id, kept when `keep` (a query's series are read again at its next refresh; a label listing
    /// reads a fleet's worth once).
    func labels(of ids: [Int64], keep: Bool, _ reader: SQLiteDatabase) throws(SQLiteError) -> [(id: Int64, labels: Labels)] {
        let now = HubClock.now()
        let (found, missing) = seriesLabels.withLock { $0.values(for: ids, now: now) }
        let result = found.map { (id: $0.key, labels: $0.value) }
        guard !missing.isEmpty else { return result }
        let read = try reader.statement("SELECT name, labels FROM series WHERE id = ?")
        var added: [Int64: Labels] = [:]
        for id in missing {
            defer { read.reset() }
            guard try read.bind(1, id).step(), let labels = SeriesKey.decodeLabels(read.string(1), name: read.string(0)) else { continue }
            added[id] = labels
        }
        if keep { seriesLabels.withLock { $0.insert(added, now: now) } }
        return result + added.map { (id: $0.key, labels: $0.value) }
    }

    /// Every series (of `among`, when given) in one pass over the table, parsing the label sets not
    /// held. Those parsed are not kept: a query without a metric name (Grafana's metric browser)
    /// would fill the cache with the whole fleet's label sets for an hour or two.
    private static func every(
        among: Set<Int64>?,
        _ reader: SQLiteDatabase,
        _ cache: inout RecentEntries<Int64, Labels>,
        now: Int64
    ) throws(SQLiteError) -> [(id: Int64, labels: Labels)] {
        let statement = try reader.statement("SELECT id, name, labels FROM series")
        defer { statement.reset() }
        var result: [(id: Int64, labels: Labels)] = []
        while try statement.step() {
            let id = statement.int64(0)
            if let among, !among.contains(id) { continue }
            if let labels = cache.value(for: id, now: now) ?? SeriesKey.decodeLabels(statement.string(2), name: statement.string(1)) {
                result.append((id, labels))
            }
        }
        return result
    }
}

extension SQLiteHubStorage {
    /// The label sets (with `__name__` and the node's cluster) of `ids`, not kept (``labels(of:keep:_:)``).
    func labelSets(of ids: [Int64], clusters: [String: String], _ reader: SQLiteDatabase) throws(SQLiteError) -> [Int64: Labels] {
        var result: [Int64: Labels] = [:]
        for (id, labels) in try labels(of: ids, keep: false, reader) { result[id] = labels.addingCluster(clusters) }
        return result
    }
}
