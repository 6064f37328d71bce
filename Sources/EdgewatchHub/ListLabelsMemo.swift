/// The ``ListLabels`` listings learned for ``PresenceMirror``'s lists (by the mirror's number),
/// while the nodes' clusters stay as they were then (`generation`, ``NodeClustersCache``): a
/// listing over a fleet then knows each list's content number before it looks any list up, and
/// looks up only lists it has not met (2000 lookups a listing had been a quarter of its time).
struct ListLabelsMemo: Sendable {
    /// The clusters' generation the memo holds for; nil before the first listing.
    private(set) var generation: Int?
    /// Each list's labels, by the mirror's list number.
    private(set) var labels: [Int: ListLabels] = [:]
    /// The content of lists known by their content digest alone (no labels looked up).
    private(set) var shared: [Int: ListContent] = [:]
    /// Each list's content by a dense number, by the mirror's list number: what ``labels`` and
    /// ``shared`` say, kept in arrays so that a listing reads it without touching them
    /// (``contentNumber(_:)``, ``PresenceWindow/knownValues(of:start:end:)``).
    private(set) var slots = ContentSlots()

    /// Keeps what a listing learned under clusters' `generation` (everything held before is
    /// forgotten when that is not the memo's): lists' labels, and lists' contents known by digest.
    mutating func learn(_ learned: [Int: ListLabels], contents known: [Int: ListContent] = [:], generation: Int) {
        if self.generation != generation { self = ListLabelsMemo(generation: generation) }
        for (list, content) in known where list >= 0 {
            slots.set(content, for: list)
            shared[list] = content
        }
        for (list, listLabels) in learned where list >= 0 {
            slots.set(listLabels.shared, for: list)
            labels[list] = listLabels
        }
    }

    /// The content of list `list` when known: its labels' or by its digest.
    func content(_ list: Int) -> ListContent? {
        labels[list]?.shared ?? shared[list]
    }

    /// List `list`'s content number, when known.
    func contentNumber(_ list: Int) -> Int? {
        guard list < slots.ofList.count, slots.ofList[list] >= 0 else { return nil }
        return slots.contents[slots.ofList[list]]?.number
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
        var known: [Int: ListContent] = [:]
        for (list, content) in shared { if let new = renumbered[list] { known[new] = content } }
        memo.learn(learned, contents: known, generation: generation)
        return memo
    }

    private init(generation: Int?) {
        self.generation = generation
    }

    init() {}
}
