import EdgewatchCore

extension Sequence<LabelMatcher> {
    /// The series of `stored` that every matcher selects, by id, each seen with its node's
    /// `cluster` label (``Labels/addingCluster(_:)``): the same on every backend. The matchers look
    /// at the stored labels (a `cluster` matcher at the node's cluster), so only the series taken
    /// have the label added: a fleet panel's matchers leave most of the metric's series out.
    func wanted(among stored: [(id: Int64, labels: Labels)], clusters: [String: String]) -> [Int64: Labels] {
        var wanted: [Int64: Labels] = [:]
        for (id, labels) in stored {
            let taken = allSatisfy { matcher in
                guard matcher.name == "cluster" else { return matcher.matches(labels[matcher.name] ?? "") }
                return matcher.matches(labels["cluster"] ?? labels["node"].flatMap { clusters[$0] } ?? "")
            }
            if taken { wanted[id] = labels.addingCluster(clusters) }
        }
        return wanted
    }

    /// Whether the series of `node` may be selected: every matcher of `node` takes it.
    func admit(node: String) -> Bool {
        allSatisfy { $0.name != "node" || $0.matches(node) }
    }
}
