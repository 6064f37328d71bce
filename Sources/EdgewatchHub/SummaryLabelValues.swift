import EdgewatchCore

/// Label names, or one label's values, over every series with a point in a window, from the
/// window's ``SeriesPresence`` rows (`/api/v1/labels` and `/api/v1/label/<name>/values` without
/// `match[]`): the values of lists of rows wholly inside the window are sure; a value only lists
/// of rows reaching past an edge hold is checked through the few series that carry it (those
/// lists' series that no row inside lists), in the blocks of the edges alone.
struct SummaryLabelValues<Failure: Error> {
    /// A list's label names and values (by index into the rows' lists, for a node).
    var listLabels: (Int, String) throws(Failure) -> ListLabels
    /// The label sets (with the node's cluster) of some series, by id.
    var labelSets: ([Int64]) throws(Failure) -> [Int64: Labels]
    /// Of some series, those with a point in a span (``PresenceVerdict/labelSets(_:check:)``).
    var check: ([Int64: Labels], ClosedRange<Int64>) throws(Failure) -> Set<Int64>

    func values(of label: String?, _ presence: PresenceRows, start: Int64, end: Int64) throws(Failure) -> Set<String> {
        let (inside, reaching, _) = presence.split(start: start, end: end)
        var sure = Set<String>()
        // Contents added already: most nodes' lists have the same names and values.
        var added = Set<Int>()
        if label == "node" {
            // A node with a row inside the window has a point there: no label set need be read.
            sure = Set(inside.keys)
        } else {
            for (node, lists) in inside {
                for list in lists {
                    let labels = try listLabels(list, node)
                    if added.insert(labels.content).inserted { sure.formUnion(labels.values(of: label)) }
                }
            }
        }
        // Series of reaching lists that may bring a value no list inside has.
        var candidates: [Int64] = []
        for (node, lists) in reaching where label != "node" || !sure.contains(node) {
            for list in lists.subtracting(inside[node] ?? []) where try mayAdd(list, node, label, added, sure) {
                // Decoded only here: a window's edges mostly hold lists whose values are known.
                let sureLists = (inside[node] ?? []).map { presence.ids($0) }
                candidates += presence.ids(list).filter { id in !sureLists.contains { PresenceVerdict.holds($0, id) } }
            }
        }
        guard !candidates.isEmpty else { return sure }
        var wanted: [Int64: Labels] = [:]
        for (id, labels) in try labelSets(candidates) where !Self.values(of: label, in: labels).isSubset(of: sure) { wanted[id] = labels }
        let found = try PresenceVerdict(presence, wanted: wanted, start: start, end: end).labelSets(wanted, check: check)
        for labels in found { sure.formUnion(Self.values(of: label, in: labels)) }
        return sure
    }

    /// Whether a node's list may hold a value of `label` not in `sure` (whose contents are `added`).
    private func mayAdd(_ list: Int, _ node: String, _ label: String?, _ added: Set<Int>, _ sure: Set<String>) throws(Failure) -> Bool {
        if label == "node" { return !sure.contains(node) }
        let labels = try listLabels(list, node)
        return !added.contains(labels.content) && !labels.values(of: label).isSubset(of: sure)
    }

    /// The value of `label` in `labels`, or their names when nil.
    static func values(of label: String?, in labels: Labels) -> Set<String> {
        guard let label else { return Set(labels.map(\.name)) }
        return labels[label].map { [$0] } ?? []
    }
}
