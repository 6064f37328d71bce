extension PresenceWindow {
    /// Label names (`label` nil), or one label's values, over the window `[start, end]`, straight
    /// from the rows and what earlier listings learned of their lists (``ListLabelsMemo``), when
    /// that is enough: every row reaching into the window holds every series of its list there
    /// (``PresenceRows/holdsEverySeries(_:start:end:)``), and every list's content is known; for
    /// `node`, every node a row names shows a point there (``knownNodes(start:end:)``). Nil
    /// otherwise: the listing then builds its ``PresenceRows``.
    ///
    /// A dashboard's variables over a fleet reporting as it should ask this again and again: the
    /// whole answer is then the union of a few shared groups of values, with no per-listing table
    /// of the window's rows and lists built and freed (in process, more than half of such a
    /// listing's time).
    func knownValues(of label: String?, start: Int64, end: Int64) -> [String]? {
        guard label != "node" else { return knownNodes(start: start, end: end) }
        var groups: [ValueGroup] = []
        var addedGroups = Set<Int>()
        // Contents met, by the memo's dense numbers: most of a fleet's lists share a few.
        var met = [Bool](repeating: false, count: memo.slots.contents.count)
        for row in rows where row.maxTS >= start && row.minTS <= end {
            guard PresenceRows.holdsEverySeries(row, start: start, end: end), row.list < memo.slots.ofList.count else { return nil }
            let slot = memo.slots.ofList[row.list]
            guard slot >= 0, let content = memo.slots.contents[slot] else { return nil }
            guard !met[slot] else { continue }
            met[slot] = true
            guard let group = content.group(of: label) else { continue }
            if group.number == 0 || addedGroups.insert(group.number).inserted { groups.append(group) }
        }
        // One group (a fleet's metric names mostly are): its values, sorted and distinct already.
        guard groups.count > 1 else { return groups.first?.values ?? [] }
        return Array(Set(groups.lazy.flatMap(\.values)))
    }

    /// The nodes with a point in `[start, end]`, in name order, when every node that a row
    /// reaching into the window names shows one there (``PresenceRows/showsPoint(_:start:end:)``;
    /// a window up to now): nil otherwise, or when the mirror gave no order of its nodes.
    func knownNodes(start: Int64, end: Int64) -> [String]? {
        guard nodeOrder.count == nodes.count else { return nil }
        let shown = PresenceRows.nodesShowingPoint(rows, nodeCount: nodes.count, start: start, end: end)
        // The mirror's rows of a window all reach into it: one of a node without a point there
        // leaves a node to check.
        for row in rows where !shown[row.node] && row.maxTS >= start && row.minTS <= end { return nil }
        return nodeOrder.compactMap { shown[$0] ? nodes[$0] : nil }
    }
}
