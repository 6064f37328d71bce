import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

/// The metric browser's list (`/api/v1/label/__name__/values` without `match[]`) without reading
/// the fleet's label sets: a name has a point in the window when one of its metric blocks lies
/// wholly inside it (an index probe per name), or when a batch block inside it lists one of its
/// series (their lists read newest first, each distinct list once); the few names neither tells
/// of are checked as a query naming them would be, and when more remain, every label set is read.
extension SQLiteHubStorage {
    /// Names left over past which every label set is read instead of each name on its own.
    static let namesCheckedOneByOne = 8

    public func metricNamesWithPoints(start: Int64, end: Int64) throws -> [String] {
        let byName = namedIDs.withLock { $0 }
        var remaining = Set(byName.names.filter { !$0.isEmpty })
        var found: [String] = []
        try reader.withLock { reader throws(SQLiteError) in
            try reader.snapshot { () throws(SQLiteError) in
                // A block inside the window but begun before its tier's retention mark may hold
                // summarised points only: then the general path decides.
                guard try reader.retentionMarks().values.allSatisfy({ $0.values.allSatisfy { $0 <= start } }) else { return }
                let probe = try reader.statement("SELECT 1 FROM blocks WHERE name = ? AND max_ts BETWEEN ? AND ? AND min_ts >= ? LIMIT 1")
                for name in remaining {
                    defer { probe.reset() }
                    if try probe.bind(1, name).bind(2, start).bind(3, end).bind(4, start).step() { found.append(name) }
                }
                remaining.subtract(found)
                found += try Self.namesInBatchBlocks(start: start, end: end, among: &remaining, byName, reader)
            }
        }
        guard remaining.count <= Self.namesCheckedOneByOne else {
            let every = [[try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]]
            return Array(Set(try distinctSeries(matching: every, start: start, end: end).compactMap(\.metricName)))
        }
        for name in remaining where !(try labelSets([LabelMatcher(name: "__name__", operation: .equal, value: name)], start: start, end: end).isEmpty)
        {
            found.append(name)
        }
        return found
    }

    /// The names of `remaining` that a batch block wholly inside the window lists a series of,
    /// taken out of it; the blocks newest first, until none remains.
    private static func namesInBatchBlocks(
        start: Int64,
        end: Int64,
        among remaining: inout Set<String>,
        _ byName: SeriesIDsByName,
        _ reader: SQLiteDatabase
    ) throws(SQLiteError) -> [String] {
        let lists = try reader.statement("SELECT series FROM blocks WHERE name = '' AND max_ts BETWEEN ? AND ? AND min_ts >= ?")
        var seen = Set<[UInt8]>()
        var ids = Set<Int64>()
        var found: [String] = []
        for slice in ListingSlices(start: start, end: end) where !remaining.isEmpty {
            let newest = min(slice.upperBound, end)
            guard slice.lowerBound <= newest else { continue }
            defer { lists.reset() }
            _ = lists.bind(1, slice.lowerBound).bind(2, newest).bind(3, start)
            while try lists.step() {
                let list = lists.withBlob(0) { [UInt8]($0) }
                guard seen.insert(list).inserted else { continue }
                for id in Varint.decodeAll(list) { ids.insert(Int64(bitPattern: id)) }
            }
            let listed = remaining.filter { byName.ids(named: $0).contains(where: ids.contains) }
            found += listed
            remaining.subtract(listed)
        }
        return found
    }
}
