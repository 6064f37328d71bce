import EdgewatchCore
import EdgewatchSQLite

/// The metric browser's list (`/api/v1/label/__name__/values` without `match[]`) without reading
/// the fleet's label sets: from the presence summary where it covers the window (about as fast
/// as what follows over compacted blocks, five times faster over batch blocks). Else a name has
/// a point in the window when one of its metric blocks lies wholly inside it (an index probe per
/// name), or when a batch block inside it lists one of its series (their lists read newest
/// first, each distinct list once). A name none of whose blocks reaches into the window has
/// none; the few left, whose blocks only reach past an edge into it, are checked as a query
/// naming them would be, and when more are left, every label set is read.
extension SQLiteHubStorage {
    public func metricNamesWithPoints(start: Int64, end: Int64) throws -> [String] {
        if let names = try labelValuesFromSummary("__name__", start: start, end: end) { return names }
        let byName = namedIDs.withLock { $0 }
        let names = Set(byName.names.filter { !$0.isEmpty })
        let known = try reader.withLock { reader throws(SQLiteError) -> (found: Set<String>, unsure: Set<String>)? in
            try reader.snapshot { () throws(SQLiteError) -> (found: Set<String>, unsure: Set<String>)? in
                // A block inside the window but begun before its tier's retention mark may hold
                // summarised points only: then the general path decides.
                guard try reader.retentionMarks(after: start).isEmpty else { return nil }
                let search = MetricNameSearch(start: start, end: end, byName: byName, reader: reader)
                let found = try search.inside(names)
                return (found, try search.reaching(names.subtracting(found)))
            }
        }
        guard let known, known.unsure.count <= Self.checkedOneByOne else {
            return try valuesOverEverySeries("__name__", start: start, end: end)
        }
        return Array(known.found) + (try confirmed(known.unsure, of: "__name__", start: start, end: end))
    }
}
