import EdgewatchCore

/// A query's wanted series ids by node, each node's ascending: a block's series list is checked
/// against its node's few (a fleet query wants one or a handful of a node's hundreds), not against
/// every wanted id. Made once for a set of wanted series and kept with it (``WantedSeriesCache``):
/// grouping a fleet's thousands by their `node` label at every refresh had been a twelfth of the
/// hub's time answering one metric over 2000 nodes.
struct WantedByNode: Sendable {
    private let byNode: [String: [Int64]]

    init(_ wanted: [Int64: Labels]) {
        let groups = KeyedGroups.grouped(wanted) { $0.value["node"] ?? "" }
        var byNode = [String: [Int64]](minimumCapacity: groups.count)
        for (node, series) in groups { byNode[node] = series.map(\.key).sorted() }
        self.byNode = byNode
    }

    /// The wanted ids of `node`, ascending.
    func ids(of node: String) -> [Int64] { byNode[node] ?? [] }

    /// The nodes, sorted.
    var nodes: [String] { byNode.keys.sorted() }

    /// How many nodes the wanted series are of.
    var count: Int { byNode.count }
}
