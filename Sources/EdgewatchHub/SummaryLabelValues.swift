import EdgewatchCore

/// Label names, or one label's values, over every series with a point in a window, from the
/// window's ``SeriesPresence`` rows (`/api/v1/labels` and `/api/v1/label/<name>/values` without
/// `match[]`): the values of lists of rows "inside" the window (``PresenceRows/lists(start:end:)``)
/// are sure; a value only lists of rows reaching past an edge hold is checked first through one
/// series carrying it (a window shorter than a sparse row's gap may have no row inside), then, if that one had no point there,
/// through the few series that carry it (those lists' series that no row inside lists), in the
/// blocks of the parts of the window those rows cover.
struct SummaryLabelValues<Failure: Error> {
    /// A list's label names and values (by index into the rows' lists; a list is one node's).
    var listLabels: (Int) throws(Failure) -> ListLabels
    /// A list's names and values but `node`'s when known without a lookup: held by the listing,
    /// or shown by a list with the same content digest (``ListLabelsCache/content(_:_:cluster:)``).
    var knownContent: (Int) -> ListContent? = { _ in nil }
    /// The label sets (with the node's cluster) of some series, by id.
    var labelSets: ([Int64]) throws(Failure) -> [Int64: Labels]
    /// Of some series, those with a point in a span (``PresenceVerdict/labelSets(_:check:)``).
    var check: ([Int64: Labels], ClosedRange<Int64>) throws(Failure) -> Set<Int64>

    /// The values (or names), in no order. (A `node` listing whose every node shows a point is
    /// answered before, in name order, from the mirror's window: ``PresenceWindow/knownNodes(start:end:)``.)
    func values(of label: String?, _ presence: PresenceRows, start: Int64, end: Int64) throws(Failure) -> [String] {
        let (inside, reaching) = presence.lists(start: start, end: end)
        guard label == "node" else { return Array(try values(of: label, presence, inside: inside, reaching: reaching, start: start, end: end)) }
        // A node with a row inside the window, or one with an end there (the live hour's row of a
        // window up to now), has a point there: no label set need be read.
        let sure = Set(presence.names(ofNodes: presence.nodesShowingPoint(start: start, end: end)))
        return Array(try values(of: label, presence, inside: inside, reaching: reaching, sure: sure, start: start, end: end))
    }

    private func values(
        of label: String?,
        _ presence: PresenceRows,
        inside: [Int],
        reaching: [Int],
        sure known: Set<String> = [],
        start: Int64,
        end: Int64
    ) throws(Failure) -> Set<String> {
        // `node`'s values known from the rows (given), else those of the lists inside.
        var sure = known
        // Contents added already: most nodes' lists have the same names and values (0: not
        // numbered, never skipped); and the groups of values added, which even nodes whose
        // contents differ mostly share.
        var added = Set<Int>()
        var addedGroups = Set<Int>()
        for list in inside where label != "node" {
            // A content known without a lookup and added already: most of a fleet's lists.
            if let known = presence.knownContent(list), added.contains(known) { continue }
            let shared = try content(list)
            guard added.insert(shared.number).inserted || shared.number == 0, let group = shared.group(of: label) else { continue }
            if group.number == 0 || addedGroups.insert(group.number).inserted { sure.formUnion(group.values) }
        }
        // In a window shorter than the rows' hour no row may be inside: each value the reaching
        // rows may add is checked first through one series carrying it, not through every series.
        let carriers = try carriers(of: label, presence, reaching: reaching, sure: sure)
        if !carriers.isEmpty { sure.formUnion(try found(try labelSets(carriers), label, presence, start: start, end: end)) }
        // Series of reaching lists that may still bring a value no list inside has (one whose
        // carrier had no point in the window).
        var candidates: [Int64] = []
        // Per group of values, whether it may add one (the same for every list sharing it).
        var verdicts: [Int: Bool] = [:]
        for list in reaching where try mayAdd(list, presence, label, added, sure, &verdicts) {
            // Decoded only here: a window's edges mostly hold lists whose values are known.
            let sureLists = presence.insideLists(ofNodeOf: list).map { presence.ids($0) }
            candidates += presence.ids(list).filter { id in !sureLists.contains { PresenceVerdict.holds($0, id) } }
        }
        guard !candidates.isEmpty else { return sure }
        var wanted: [Int64: Labels] = [:]
        for (id, labels) in try labelSets(candidates) where !Self.values(of: label, in: labels).isSubset(of: sure) { wanted[id] = labels }
        return sure.union(try found(wanted, label, presence, start: start, end: end))
    }

    /// One series for each value of `label` that the `reaching` lists may add to `sure`: a
    /// node's for `node`, else the one its list's ``ListLabels`` keeps.
    private func carriers(of label: String?, _ presence: PresenceRows, reaching: [Int], sure: Set<String>) throws(Failure) -> [Int64] {
        var pending = Set<String>()
        var ids: [Int64] = []
        // Contents and groups of values met already: their values are sure or pending (0: not
        // numbered, never skipped).
        var met = Set<Int>()
        var metGroups = Set<Int>()
        for list in reaching {
            if label == "node" {
                let node = presence.listNode(list)
                if !sure.contains(node), pending.insert(node).inserted, let id = presence.ids(list).first { ids.append(id) }
                continue
            }
            if let known = presence.knownContent(list), met.contains(known) { continue }
            let shared = try content(list)
            guard shared.number == 0 || met.insert(shared.number).inserted, let group = shared.group(of: label) else { continue }
            guard group.number == 0 || metGroups.insert(group.number).inserted else { continue }
            let wanted = group.values.filter { !sure.contains($0) && !pending.contains($0) }
            // Only a list that may add a value is looked up, for the series carrying it.
            guard !wanted.isEmpty else { continue }
            let labels = try listLabels(list)
            for value in wanted {
                pending.insert(value)
                if let id = labels.carrier(of: value, label) { ids.append(id) }
            }
        }
        return ids
    }

    /// The values of `label` that those of the `wanted` series with a point in the window bring.
    private func found(_ wanted: [Int64: Labels], _ label: String?, _ presence: PresenceRows, start: Int64, end: Int64) throws(Failure) -> Set<String>
    {
        var values = Set<String>()
        for labels in try PresenceVerdict(presence, wanted: wanted, start: start, end: end).labelSets(wanted, check: check) {
            values.formUnion(Self.values(of: label, in: labels))
        }
        return values
    }

    /// Whether a node's list may hold a value of `label` not in `sure` (whose contents are `added`).
    /// `verdicts` keeps the answer per group of values (0: not numbered, never kept).
    private func mayAdd(
        _ list: Int,
        _ presence: PresenceRows,
        _ label: String?,
        _ added: Set<Int>,
        _ sure: Set<String>,
        _ verdicts: inout [Int: Bool]
    ) throws(Failure) -> Bool {
        if label == "node" { return !sure.contains(presence.listNode(list)) }
        if let known = presence.knownContent(list), added.contains(known) { return false }
        let shared = try content(list)
        guard shared.number == 0 || !added.contains(shared.number), let group = shared.group(of: label) else { return false }
        if let known = verdicts[group.number] { return known }
        let verdict = !group.values.allSatisfy(sure.contains)
        if group.number != 0 { verdicts[group.number] = verdict }
        return verdict
    }

    /// List `list`'s names and values but `node`'s: known by its content digest, else looked up.
    private func content(_ list: Int) throws(Failure) -> ListContent {
        if let known = knownContent(list) { return known }
        return try listLabels(list).shared
    }

    /// The metric name every one of `series` has, if they share one: a check of such series reads
    /// that metric's blocks by the name index (the carriers of `node`, each node's first series,
    /// are mostly of one metric).
    static func commonName(_ series: [Int64: Labels]) -> String? {
        let name = series.first?.value["__name__"]
        return series.values.allSatisfy { $0["__name__"] == name } ? name : nil
    }

    /// The value of `label` in `labels`, or their names when nil.
    static func values(of label: String?, in labels: Labels) -> Set<String> {
        guard let label else { return Set(labels.map(\.name)) }
        return labels[label].map { [$0] } ?? []
    }
}
