import EdgewatchCore

/// The label names and values of one ``SeriesPresence`` list's series (with `__name__`, `node`
/// and the node's `cluster`): what a label listing without a selector needs of it. Kept per list
/// and cluster (``Key``), so a listing over hours of a fleet whose series stay the same parses
/// each node's label sets once, not at every request.
struct ListLabels: Sendable {
    struct Key: Hashable, Sendable {
        var digest: DigestBytes
        var cluster: String
    }

    /// The names and values but `node`'s, shared with every list that has the same.
    let shared: ListContent
    /// Per pair of ``shared`` (in its order), the lowest id of this list's series carrying it: a
    /// listing checks a value through it before it reads every series that may bring the value.
    let carriers: [Int64]
    /// `node`'s values (a list is one node's: mostly one), each with the lowest id carrying it.
    let nodes: [(value: String, carrier: Int64)]

    /// Equal for lists with equal names and values but for `node` (a fleet's nodes mostly have
    /// the same metric names and label values): a listing adds each content once. `node`'s
    /// values come from the rows themselves (``SummaryLabelValues``).
    var content: Int { shared.number }

    /// The pairs of `labelSets` with their carriers, and `node`'s values, for ``ListLabelsCache``
    /// to find or number the shared part.
    static func parts(
        _ labelSets: [Int64: Labels]
    ) -> (key: ListContent.Key, carriers: [ListContent.Pair: Int64], nodes: [(value: String, carrier: Int64)]) {
        var carriers: [ListContent.Pair: Int64] = [:]
        var nodes: [String: Int64] = [:]
        for (id, labels) in labelSets {
            for label in labels {
                if label.name == "node" {
                    nodes[label.value] = min(id, nodes[label.value] ?? .max)
                } else {
                    let pair = ListContent.Pair(name: label.name, value: label.value)
                    carriers[pair] = min(id, carriers[pair] ?? .max)
                }
            }
        }
        let key = ListContent.Key(pairs: carriers.keys.sorted(), hasNode: !nodes.isEmpty)
        return (key, carriers, nodes.map { ($0.key, $0.value) })
    }

    init(shared: ListContent, carriers: [ListContent.Pair: Int64], nodes: [(value: String, carrier: Int64)]) {
        self.shared = shared
        self.carriers = shared.key.pairs.map { carriers[$0] ?? .max }
        self.nodes = nodes
    }

    /// The values of `label`, or the label names when nil.
    func values(of label: String?) -> [String] {
        label == "node" ? nodes.map(\.value) : shared.group(of: label)?.values ?? []
    }

    /// A series carrying `value` of `label`, or the label named `value` when `label` is nil.
    func carrier(of value: String, _ label: String?) -> Int64? {
        guard let label else {
            if value == "node" { return nodes.map(\.carrier).min() }
            return shared.positions(of: value).flatMap { carriers[$0].min() }
        }
        if label == "node" { return nodes.first { $0.value == value }?.carrier }
        return shared.position(of: value, label).map { carriers[$0] }
    }
}
