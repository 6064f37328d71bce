import EdgewatchCore
import Synchronization

/// The label names and values of one ``SeriesPresence`` list's series (with `__name__`, `node`
/// and the node's `cluster`): what a label listing without a selector needs of it. Kept per list
/// and cluster (``Key``), so a listing over hours of a fleet whose series stay the same parses
/// each node's label sets once, not at every request.
struct ListLabels: Sendable {
    struct Key: Hashable, Sendable {
        var digest: [UInt8]
        var cluster: String
    }

    /// Per label name, its values.
    private(set) var values: [String: Set<String>] = [:]

    init(_ labelSets: some Sequence<Labels>) {
        for labels in labelSets {
            for label in labels { values[label.name, default: []].insert(label.value) }
        }
    }

    /// The values of `label`, or the label names when nil.
    func values(of label: String?) -> Set<String> {
        guard let label else { return Set(values.keys) }
        return values[label] ?? []
    }
}

/// The ``ListLabels`` of lists read lately, per list and cluster (``RecentEntries/seriesAge``).
final class ListLabelsCache: Sendable {
    private let entries = Mutex(RecentEntries<ListLabels.Key, ListLabels>(age: RecentEntries<ListLabels.Key, ListLabels>.seriesAge))

    /// Lists held.
    var count: Int { entries.withLock { $0.count } }

    /// The labels of `presence`'s list `list` for a node in `cluster`: held, or made from the
    /// label sets `labelSets` reads (then kept).
    func labels<Failure: Error>(
        _ presence: PresenceRows,
        _ list: Int,
        cluster: String,
        labelSets: ([Int64]) throws(Failure) -> [Int64: Labels]
    ) throws(Failure) -> ListLabels {
        let key = ListLabels.Key(digest: presence.digests[list], cluster: cluster)
        let now = HubClock.now()
        if let held = entries.withLock({ $0.value(for: key, now: now) }) { return held }
        let made = ListLabels(try labelSets(presence.lists[list]).values)
        entries.withLock { $0.insert([key: made], now: now) }
        return made
    }
}
