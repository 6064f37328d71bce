import EdgewatchCore

extension Sequence<LabelMatcher> {
    /// The series of `stored` that every matcher selects, by id, each seen with its node's
    /// `cluster` label (``Labels/addingCluster(_:)``): the same on every backend.
    func wanted(among stored: [(id: Int64, labels: Labels)], clusters: [String: String]) -> [Int64: Labels] {
        var wanted: [Int64: Labels] = [:]
        for (id, labels) in stored {
            let labels = labels.addingCluster(clusters)
            if allSatisfy({ $0.matches(labels[$0.name] ?? "") }) { wanted[id] = labels }
        }
        return wanted
    }

    /// Whether the series of `node` may be selected: every matcher of `node` takes it.
    func admit(node: String) -> Bool {
        allSatisfy { $0.name != "node" || $0.matches(node) }
    }
}
