import EdgewatchCore

/// A query's wanted series ids by node, each node's ascending: a block's series list is checked
/// against its node's few (a fleet query wants one or a handful of a node's hundreds), not against
/// every wanted id. The nodes are numbered, so that a query's blocks are grouped by node into a
/// list per number, with no map made per query. Made once for a set of wanted series and kept with
/// it (``WantedSeriesCache``): grouping a fleet's thousands by their `node` label at every refresh
/// had been a twelfth of the hub's time answering one metric over 2000 nodes.
struct WantedByNode: Sendable {
    private let numbers: [String: Int]
    /// Per node number, its wanted ids.
    private let ids: [[Int64]]

    init(_ wanted: [Int64: Labels]) {
        let groups = KeyedGroups.grouped(wanted) { $0.value["node"] ?? "" }
        var numbers = [String: Int](minimumCapacity: groups.count)
        for (number, group) in groups.enumerated() { numbers[group.key] = number }
        self.numbers = numbers
        ids = groups.map { $0.items.map(\.key).sorted() }
    }

    /// The number of `node` (in `0..<count`); nil when no series of it is wanted.
    func number(of node: String) -> Int? { numbers[node] }

    /// The wanted ids of the node numbered `number`, ascending.
    func ids(number: Int) -> [Int64] { ids.indices.contains(number) ? ids[number] : [] }

    /// The wanted ids of `node`, ascending.
    func ids(of node: String) -> [Int64] { numbers[node].map { ids[$0] } ?? [] }

    /// The nodes, sorted.
    var nodes: [String] { numbers.keys.sorted() }

    /// How many nodes the wanted series are of.
    var count: Int { ids.count }
}
