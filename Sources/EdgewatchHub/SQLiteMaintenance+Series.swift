import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

/// Deleting the series no block holds any more (``HubRetention``).
extension SQLiteMaintenance {
    func seriesIDs(node: String, tier: Tier, endingFrom from: Int64, before to: Int64) throws(SQLiteError) -> Set<Int64> {
        let statement = try database.statement("SELECT series FROM blocks WHERE node = ? AND tier = ? AND max_ts >= ? AND max_ts < ?")
        statement.bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, from).bind(4, to)
        defer { statement.reset() }
        var lists = SeriesListIDs()
        try lists.read(statement)
        return lists.all
    }

    /// Whether a candidate is held is read from the node's batch blocks (every series of a
    /// window; those compaction has not rewritten yet) and the blocks of its metric, newest first,
    /// until each of the metric's candidates is found: a series still sent is found in its metric's
    /// last block. SQLite gives a new row the largest id plus one, so the largest stays whatever it
    /// holds: an id is never given to two series (queries' caches map ids to label sets).
    func pruneSeries(node: String, candidates: Set<Int64>) throws(SQLiteError) -> [PrunedSeries] {
        var stored = try storedSeries(candidates)
        var unheld = Dictionary(grouping: stored.keys) { stored[$0]?.name ?? "" }.mapValues(Set.init)
        try dropHeld(from: &unheld, node: node, name: "")
        for name in unheld.keys { try dropHeld(from: &unheld, node: node, name: name) }
        let largest = try database.statement("SELECT max(id) FROM series")
        defer { largest.reset() }
        if try largest.step() { stored[largest.int64(0)] = nil }
        let delete = try database.statement("DELETE FROM series WHERE id = ?")
        var pruned: [PrunedSeries] = []
        for id in unheld.values.joined().sorted() {
            guard let series = stored[id] else { continue }
            try delete.bind(1, id).run()
            pruned.append(PrunedSeries(id: id, labels: series.labels))
        }
        return pruned
    }

    /// The metric names and label sets (with `__name__`) of those of `ids` stored; one whose
    /// labels do not parse has an empty set (no cache entry to forget by it).
    private func storedSeries(_ ids: Set<Int64>) throws(SQLiteError) -> [Int64: (name: String, labels: Labels)] {
        let read = try database.statement("SELECT name, labels FROM series WHERE id = ?")
        var stored: [Int64: (name: String, labels: Labels)] = [:]
        for id in ids {
            read.bind(1, id)
            defer { read.reset() }
            guard try read.step() else { continue }
            let name = read.string(0)
            stored[id] = (name, SeriesKey.decodeLabels(read.string(1), name: name) ?? Labels())
        }
        return stored
    }

    /// Removes from `unheld` the ids the node's blocks named `name` hold ('' for batch blocks,
    /// looked for among every metric's candidates), newest first, stopping once none is left.
    private func dropHeld(from unheld: inout [String: Set<Int64>], node: String, name: String) throws(SQLiteError) {
        guard name.isEmpty ? !unheld.isEmpty : unheld[name] != nil else { return }
        let statement = try database.statement("SELECT series FROM blocks WHERE node = ? AND tier = ? AND name = ? ORDER BY max_ts DESC")
        for tier in Tier.allCases {
            statement.bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, name)
            defer { statement.reset() }
            var seen = Set<[UInt8]>()
            while try statement.step() {
                let list = statement.withBlob(0) { [UInt8]($0) }
                guard seen.insert(list).inserted else { continue }
                let held = Set(Varint.decodeAll(list).map { Int64(bitPattern: $0) })
                for key in name.isEmpty ? Array(unheld.keys) : [name] { unheld[key]?.subtract(held) }
                unheld = unheld.filter { !$0.value.isEmpty }
                if name.isEmpty ? unheld.isEmpty : unheld[name] == nil { return }
            }
        }
    }
}
