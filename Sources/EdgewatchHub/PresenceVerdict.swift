import EdgewatchCore

/// What a window's ``SeriesPresence`` rows say of the series a listing wants: those listed by a
/// row wholly inside the window, or by a dense row showing a point there
/// (``PresenceRows/holdsEverySeries(_:start:end:)``), have a point there; those listed only by
/// other rows reaching into it may, and their blocks in the parts of the window those rows cover
/// tell; the others have none.
struct PresenceVerdict {
    /// Wanted series with a point in the window.
    private(set) var sure: [Int64] = []
    /// Wanted series that only rows reaching past an edge list.
    private(set) var unsure: [Int64] = []
    /// The parts of the window the reaching rows cover, merged, latest first: where the unsure
    /// series' points in the window can be.
    private(set) var spans: [ClosedRange<Int64>] = []

    init(_ presence: PresenceRows, wanted: [Int64: Labels], start: Int64, end: Int64) {
        var byNode: [String: [Int64]] = [:]
        for (id, labels) in wanted { byNode[labels["node"] ?? "", default: []].append(id) }
        let (inside, reaching, covered) = presence.split(start: start, end: end, nodes: Set(byNode.keys))
        for (node, ids) in byNode {
            let sureLists = (inside[node] ?? []).map { presence.ids($0) }
            let unsureLists = (reaching[node] ?? []).map { presence.ids($0) }
            for id in ids {
                if sureLists.contains(where: { Self.holds($0, id) }) {
                    sure.append(id)
                } else if unsureLists.contains(where: { Self.holds($0, id) }) {
                    unsure.append(id)
                }
            }
        }
        if !unsure.isEmpty { spans = Self.merged(covered).reversed() }
    }

    /// Whether the sorted `list` holds `id`.
    static func holds(_ list: [Int64], _ id: Int64) -> Bool {
        var (low, high) = (0, list.count)
        while low < high {
            let middle = (low + high) / 2
            if list[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low < list.count && list[low] == id
    }

    /// Ranges merged where they overlap or touch, in order.
    static func merged(_ ranges: [ClosedRange<Int64>]) -> [ClosedRange<Int64>] {
        var result: [ClosedRange<Int64>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound || (last.upperBound < .max && range.lowerBound == last.upperBound + 1) {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// The label sets of the wanted series with a point in the window: the sure ones, and those
    /// of the unsure that `check` finds in a span (it is given the series still unknown and the
    /// span, latest first, and answers those with a point there).
    func labelSets<E: Error>(
        _ wanted: [Int64: Labels],
        check: ([Int64: Labels], ClosedRange<Int64>) throws(E) -> Set<Int64>
    ) throws(E) -> [Labels] {
        var result = sure.compactMap { wanted[$0] }
        var left: [Int64: Labels] = [:]
        for id in unsure { left[id] = wanted[id] }
        for span in spans where !left.isEmpty {
            for id in try check(left, span) {
                if let labels = left.removeValue(forKey: id) { result.append(labels) }
            }
        }
        return result
    }
}
