/// The ``ListLabels`` listings learned for ``PresenceMirror``'s lists (by the mirror's number),
/// while the nodes' clusters stay as they were then (`generation`, ``NodeClustersCache``): a
/// listing over a fleet then knows each list's content number before it looks any list up, and
/// looks up only lists it has not met (2000 lookups a listing had been a quarter of its time).
struct ListLabelsMemo: Sendable {
    /// The clusters' generation the memo holds for; nil before the first listing.
    private(set) var generation: Int?
    /// Each list's content number (0: not known), by the mirror's list number: what ``labels``
    /// says, kept apart so that a listing reads it from an array without touching the labels.
    private(set) var contents: [Int] = []
    /// Each list's labels, by the mirror's list number.
    private(set) var labels: [Int: ListLabels] = [:]

    /// Keeps what a listing learned under clusters' `generation` (everything held before is
    /// forgotten when that is not the memo's).
    mutating func learn(_ learned: [Int: ListLabels], generation: Int) {
        if self.generation != generation { self = ListLabelsMemo(generation: generation) }
        for (list, listLabels) in learned where list >= 0 {
            if contents.count <= list { contents += repeatElement(0, count: list + 1 - contents.count) }
            contents[list] = listLabels.content
            labels[list] = listLabels
        }
    }

    /// The memo for a listing under clusters' `generation`: empty when that is not the memo's.
    func current(_ generation: Int?) -> ListLabelsMemo {
        generation != nil && generation == self.generation ? self : ListLabelsMemo()
    }

    /// The memo with its lists numbered again (`renumbered[old]`, nil: forgotten).
    func renumbered(_ renumbered: [Int: Int]) -> ListLabelsMemo {
        var memo = ListLabelsMemo(generation: generation)
        guard let generation else { return memo }
        var learned: [Int: ListLabels] = [:]
        for (list, listLabels) in labels { if let new = renumbered[list] { learned[new] = listLabels } }
        memo.learn(learned, generation: generation)
        return memo
    }

    private init(generation: Int?) {
        self.generation = generation
    }

    init() {}
}
