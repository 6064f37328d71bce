import EdgewatchSQLite

/// Which metric names have blocks of the window `[start, end]` in one SQLite snapshot, for
/// ``SQLiteHubStorage/metricNamesWithPoints(start:end:)``: metric blocks by an index probe per
/// name, batch blocks by the ids of their series lists.
struct MetricNameSearch {
    let start: Int64
    let end: Int64
    let byName: SeriesIDsByName
    let reader: SQLiteDatabase

    /// The names of `names` with a metric block wholly inside the window, or a series listed by a
    /// batch block wholly inside it (newest first, until every name is found).
    func inside(_ names: Set<String>) throws(SQLiteError) -> Set<String> {
        var found = try probed(names, where: "max_ts BETWEEN ? AND ? AND min_ts >= ?", [start, end, start])
        let lists = try reader.statement("SELECT series FROM blocks WHERE name = '' AND max_ts BETWEEN ? AND ? AND min_ts >= ?")
        var seen = SeriesListIDs()
        for slice in ListingSlices(start: start, end: end) where found.count < names.count {
            let newest = min(slice.upperBound, end)
            guard slice.lowerBound <= newest else { continue }
            defer { lists.reset() }
            try seen.read(lists.bind(1, slice.lowerBound).bind(2, newest).bind(3, start))
            found.formUnion(seen.listing(names.subtracting(found), byName))
        }
        return found
    }

    /// The names of `names` with a block reaching into the window (not wholly inside it): a metric
    /// block of theirs, or a batch block listing one of their series.
    func reaching(_ names: Set<String>) throws(SQLiteError) -> Set<String> {
        guard !names.isEmpty else { return [] }
        let reaching = try probed(names, where: "max_ts >= ? AND min_ts <= ?", [start, end])
        let lists = try reader.statement(
            "SELECT series FROM blocks WHERE name = '' AND max_ts >= ? AND min_ts <= ? AND (min_ts < ? OR max_ts > ?)"
        )
        defer { lists.reset() }
        var seen = SeriesListIDs()
        try seen.read(lists.bind(1, start).bind(2, end).bind(3, start).bind(4, end))
        return reaching.union(seen.listing(names, byName))
    }

    /// The names of `names` with a metric block meeting `condition`, whose parameters after the
    /// name are `bounds`: an index probe each.
    private func probed(_ names: Set<String>, where condition: String, _ bounds: [Int64]) throws(SQLiteError) -> Set<String> {
        let probe = try reader.statement("SELECT 1 FROM blocks WHERE name = ? AND \(condition) LIMIT 1")
        var found = Set<String>()
        for name in names {
            defer { probe.reset() }
            _ = probe.bind(1, name)
            for (offset, value) in bounds.enumerated() { _ = probe.bind(Int32(offset + 2), value) }
            if try probe.step() { found.insert(name) }
        }
        return found
    }
}
