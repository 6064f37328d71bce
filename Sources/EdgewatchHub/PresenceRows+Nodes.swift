extension PresenceRows {
    /// Every series id the lists of the rows of the nodes `admitted` takes name, each list decoded:
    /// a superset of their series with a point in the window (rows reaching past an edge name some
    /// without). A listing whose matchers name nodes reads only their series' label sets (a
    /// series' `node` is its row's, set by the hub).
    func everyID(ofNodes admitted: (String) -> Bool) -> Set<Int64> {
        var verdicts: [Int: Bool] = [:]
        var lists = Set<Int>()
        for row in rows {
            if verdicts[row.node] == nil { verdicts[row.node] = admitted(nodeName(row.node)) }
            if verdicts[row.node] == true { lists.insert(row.list) }
        }
        var every = Set<Int64>()
        for list in lists { every.formUnion(ids(list)) }
        return every
    }

    /// Per node number, whether a row of the node shows a point in `[start, end]`: a row's span
    /// starts and ends at points (``SeriesPresence/rows(of:ids:)``), so a row with either end in
    /// the window has one there, and so has one whose span shares with the window a part at least
    /// as long as its gap (a dashboard's window inside the hour, which no row's end falls in).
    /// Marked by number, no name hashed.
    func nodesShowingPoint(start: Int64, end: Int64) -> [Bool] {
        Self.nodesShowingPoint(rows, nodeCount: nodeCount, start: start, end: end)
    }

    /// The same over any rows (the mirror's window's too) whose nodes are numbered below `nodeCount`.
    static func nodesShowingPoint(_ rows: [some PresenceSpan], nodeCount: Int, start: Int64, end: Int64) -> [Bool] {
        var shown = [Bool](repeating: false, count: nodeCount)
        for row in rows where !shown[row.node] && showsPoint(row, start: start, end: end) { shown[row.node] = true }
        return shown
    }

    /// The names of the nodes `marked` marks by number.
    func names(ofNodes marked: [Bool]) -> [String] {
        marked.indices.compactMap { marked[$0] ? nodeName($0) : nil }
    }

    /// Whether each series of the row's list has a point in `[start, end]`: the row lies wholly
    /// inside it, or is dense (``SeriesPresence/Row/dense``: its series have points at the same
    /// times) and shows a point there, as over a window inside the hour.
    static func holdsEverySeries(_ row: some PresenceSpan, start: Int64, end: Int64) -> Bool {
        (row.minTS >= start && row.maxTS <= end) || (row.dense && showsPoint(row, start: start, end: end))
    }

    /// Whether the row has a point in `[start, end]`: an end of its span (each is a point) lies in
    /// it, or the span shares with it a part at least as long as the row's gap.
    static func showsPoint(_ row: some PresenceSpan, start: Int64, end: Int64) -> Bool {
        if (row.minTS >= start && row.minTS <= end) || (row.maxTS >= start && row.maxTS <= end) { return true }
        let (from, to) = (max(start, row.minTS), min(end, row.maxTS))
        guard let gap = row.gap, from <= to else { return false }
        // Both inside the row's span, which lies within an hour.
        return to - from >= gap
    }

    /// Per node (of `nodes`, or every node), the distinct lists of rows each of whose series has a
    /// point in `[start, end]` (``holdsEverySeries(_:start:end:)``) and those of the other rows
    /// reaching into it; and the parts of the window those other rows cover.
    func split(
        start: Int64,
        end: Int64,
        nodes: Set<String>? = nil
    ) -> (inside: [String: Set<Int>], reaching: [String: Set<Int>], covered: [ClosedRange<Int64>]) {
        var inside: [String: Set<Int>] = [:]
        var reaching: [String: Set<Int>] = [:]
        var covered: [ClosedRange<Int64>] = []
        for row in rows where row.maxTS >= start && row.minTS <= end {
            let node = nodeName(row.node)
            guard nodes?.contains(node) ?? true else { continue }
            if Self.holdsEverySeries(row, start: start, end: end) {
                inside[node, default: []].insert(row.list)
            } else {
                reaching[node, default: []].insert(row.list)
                covered.append(max(row.minTS, start)...min(row.maxTS, end))
            }
        }
        return (inside, reaching, covered)
    }
}
