import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

/// The metric browser's list (`/api/v1/label/__name__/values` without `match[]`) without reading
/// the fleet's label sets: a name has a point in the window when one of its metric blocks lies
/// wholly inside it (an index probe per name), or when a batch block inside it lists one of its
/// series (their lists read newest first, each distinct list once). A name none of whose blocks
/// reaches into the window has none; the few left, whose blocks only reach past an edge into it,
/// are checked as a query naming them would be, and when more are left, every label set is read.
extension SQLiteHubStorage {
    /// Names left over past which every label set is read instead of each name on its own.
    static let namesCheckedOneByOne = 8

    public func metricNamesWithPoints(start: Int64, end: Int64) throws -> [String] {
        let byName = namedIDs.withLock { $0 }
        let names = Set(byName.names.filter { !$0.isEmpty })
        let known = try reader.withLock { reader throws(SQLiteError) -> (found: Set<String>, unsure: Set<String>)? in
            try reader.snapshot { () throws(SQLiteError) -> (found: Set<String>, unsure: Set<String>)? in
                // A block inside the window but begun before its tier's retention mark may hold
                // summarised points only: then the general path decides.
                guard try reader.retentionMarks().values.allSatisfy({ $0.values.allSatisfy { $0 <= start } }) else { return nil }
                let found = try Self.namesInside(start: start, end: end, among: names, byName, reader)
                return (found, try Self.namesReaching(start: start, end: end, among: names.subtracting(found), byName, reader))
            }
        }
        guard let known, known.unsure.count <= Self.namesCheckedOneByOne else {
            let every = [[try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]]
            return Array(Set(try distinctSeries(matching: every, start: start, end: end).compactMap(\.metricName)))
        }
        var found = Array(known.found)
        for name in known.unsure
        where !(try labelSets([LabelMatcher(name: "__name__", operation: .equal, value: name)], start: start, end: end).isEmpty) {
            found.append(name)
        }
        return found
    }

    /// The names of `names` with a metric block wholly inside the window, or a series listed by a
    /// batch block wholly inside it (newest first, until every name is found).
    private static func namesInside(
        start: Int64,
        end: Int64,
        among names: Set<String>,
        _ byName: SeriesIDsByName,
        _ reader: SQLiteDatabase
    ) throws(SQLiteError) -> Set<String> {
        let probe = try reader.statement("SELECT 1 FROM blocks WHERE name = ? AND max_ts BETWEEN ? AND ? AND min_ts >= ? LIMIT 1")
        var found = Set<String>()
        for name in names {
            defer { probe.reset() }
            if try probe.bind(1, name).bind(2, start).bind(3, end).bind(4, start).step() { found.insert(name) }
        }
        let lists = try reader.statement("SELECT series FROM blocks WHERE name = '' AND max_ts BETWEEN ? AND ? AND min_ts >= ?")
        var seen = SeriesListIDs()
        for slice in ListingSlices(start: start, end: end) where found.count < names.count {
            let newest = min(slice.upperBound, end)
            guard slice.lowerBound <= newest else { continue }
            defer { lists.reset() }
            try seen.read(lists.bind(1, slice.lowerBound).bind(2, newest).bind(3, start))
            found.formUnion(names.subtracting(found).filter { seen.listsAny(of: byName.ids(named: $0)) })
        }
        return found
    }

    /// The names of `names` with a block reaching into the window (not wholly inside it): a metric
    /// block of theirs, or a batch block listing one of their series.
    private static func namesReaching(
        start: Int64,
        end: Int64,
        among names: Set<String>,
        _ byName: SeriesIDsByName,
        _ reader: SQLiteDatabase
    ) throws(SQLiteError) -> Set<String> {
        guard !names.isEmpty else { return [] }
        let probe = try reader.statement("SELECT 1 FROM blocks WHERE name = ? AND max_ts >= ? AND min_ts <= ? LIMIT 1")
        var reaching = Set<String>()
        for name in names {
            defer { probe.reset() }
            if try probe.bind(1, name).bind(2, start).bind(3, end).step() { reaching.insert(name) }
        }
        let lists = try reader.statement(
            "SELECT series FROM blocks WHERE name = '' AND max_ts >= ? AND min_ts <= ? AND (min_ts < ? OR max_ts > ?)"
        )
        defer { lists.reset() }
        var seen = SeriesListIDs()
        try seen.read(lists.bind(1, start).bind(2, end).bind(3, start).bind(4, end))
        return reaching.union(names.filter { seen.listsAny(of: byName.ids(named: $0)) })
    }
}
