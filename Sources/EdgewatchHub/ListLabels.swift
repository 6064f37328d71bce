import EdgewatchCore
import Synchronization

/// The label names and values of one ``SeriesPresence`` list's series (with `__name__`, `node`
/// and the node's `cluster`): what a label listing without a selector needs of it. Kept per list
/// and cluster (``Key``), so a listing over hours of a fleet whose series stay the same parses
/// each node's label sets once, not at every request.
struct ListLabels: Sendable {
    struct Key: Hashable, Sendable {
        var digest: DigestBytes
        var cluster: String
    }

    /// Per label name, its values, each with one series carrying it (the lowest id): a listing
    /// checks a value through it before it reads every series that may bring the value.
    let carriers: [String: [String: Int64]]
    /// Equal for lists with equal names and values but for `node` (a fleet's nodes mostly have
    /// the same metric names and label values): a listing adds each content once. `node`'s
    /// values come from the rows themselves (``SummaryLabelValues``).
    fileprivate(set) var content = 0

    init(_ labelSets: [Int64: Labels]) {
        var carriers: [String: [String: Int64]] = [:]
        for (id, labels) in labelSets {
            for label in labels {
                carriers[label.name, default: [:]][label.value] = min(id, carriers[label.name]?[label.value] ?? .max)
            }
        }
        self.carriers = carriers
    }

    /// The values of `label`, or the label names when nil.
    func values(of label: String?) -> [String] {
        guard let label else { return Array(carriers.keys) }
        return carriers[label].map { Array($0.keys) } ?? []
    }

    /// A series carrying `value` of `label`, or the label named `value` when `label` is nil.
    func carrier(of value: String, _ label: String?) -> Int64? {
        guard let label else { return carriers[value]?.values.min() }
        return carriers[label]?[value]
    }
}

/// The ``ListLabels`` of lists read lately, per list and cluster (``RecentEntries/seriesAge``),
/// each with its content number (the same for equal contents met lately).
final class ListLabelsCache: Sendable {
    private struct State {
        var lists = RecentEntries<ListLabels.Key, ListLabels>(age: RecentEntries<ListLabels.Key, ListLabels>.seriesAge)
        var contents = RecentEntries<[String: Set<String>], Int>(age: RecentEntries<[String: Set<String>], Int>.seriesAge)
        var numbered = 0
    }

    private let state = Mutex(State())

    /// Lists held.
    var count: Int { state.withLock { $0.lists.count } }

    /// The labels of `presence`'s list `list` for a node in `cluster`: held, or made from the
    /// label sets `labelSets` reads (then kept).
    func labels<Failure: Error>(
        _ presence: PresenceRows,
        _ list: Int,
        cluster: String,
        labelSets: ([Int64]) throws(Failure) -> [Int64: Labels]
    ) throws(Failure) -> ListLabels {
        if let held = presence.heldLabels(list) { return held }
        let key = ListLabels.Key(digest: DigestBytes(presence.digests[list]), cluster: cluster)
        let now = HubClock.now()
        if let held = state.withLock({ $0.lists.value(for: key, now: now) }) {
            presence.hold(held, for: list)
            return held
        }
        let ids = presence.ids(list)
        var made = ListLabels(try labelSets(ids))
        // A list that did not decode is not kept: the listing that met it answers from elsewhere.
        guard presence.complete else { return made }
        state.withLock { state in
            // A content forgotten meanwhile gets a new number: then a listing adds it twice, no harm.
            // A list's own node aside (its values are the rows' nodes, never read from here).
            let content = made.carriers.filter { $0.key != "node" }.mapValues { Set($0.keys) }
            if let number = state.contents.value(for: content, now: now) {
                made.content = number
            } else {
                state.numbered += 1
                made.content = state.numbered
                state.contents.insert([content: made.content], now: now)
            }
            state.lists.insert([key: made], now: now)
        }
        presence.hold(made, for: list)
        return made
    }
}
