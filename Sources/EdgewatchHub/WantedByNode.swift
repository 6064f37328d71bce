import EdgewatchCore

/// A query's wanted series ids by node, each node's ascending: a block's series list is checked
/// against its node's few (a fleet query wants one or a handful of a node's hundreds), not against
/// every wanted id. Made once for a set of wanted series and kept with it (``WantedSeriesCache``):
/// grouping a fleet's thousands by their `node` label at every refresh had been a twelfth of the
/// hub's time answering one metric over 2000 nodes.
struct WantedByNode: Sendable {
    private let byNode: [String: [Int64]]
    /// The wanted ids in their label sets' order (``Labels/order(_:)``), when made with them: a
    /// bare selector's series come out in that order (``BlockPoints/series(ordered:)``), and its
    /// answer, ordered by labels, finds them so (sorting a fleet's thousands at each refresh had
    /// been a tenth of the hub's time answering one metric).
    let ordered: [Int64]?
    /// With `remembering`: the selections made of blocks for these series (SQLite's scans keep them).
    let memo: SelectionMemo?

    init(_ wanted: [Int64: Labels], ordered: Bool = false, remembering: Bool = false) {
        memo = remembering ? SelectionMemo() : nil
        let groups = KeyedGroups.grouped(wanted) { $0.value["node"] ?? "" }
        var byNode = [String: [Int64]](minimumCapacity: groups.count)
        for (node, series) in groups { byNode[node] = series.map(\.key).sorted() }
        self.byNode = byNode
        let entries = ordered ? Array(wanted) : []
        self.ordered = ordered ? Labels.order(entries.map(\.value)).map { entries[$0].key } : nil
    }

    /// The wanted ids of `node`, ascending.
    func ids(of node: String) -> [Int64] { byNode[node] ?? [] }

    /// The nodes, sorted.
    var nodes: [String] { byNode.keys.sorted() }

    /// How many nodes the wanted series are of.
    var count: Int { byNode.count }
}
