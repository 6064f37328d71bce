import EdgewatchCore
import Synchronization

/// The ``ListLabels`` of lists read lately, per list and cluster (``RecentEntries/seriesAge``),
/// their shared parts (``ListContent``, ``ValueGroup``) numbered and kept once per content met lately.
final class ListLabelsCache: Sendable {
    private struct State {
        var lists = RecentEntries<ListLabels.Key, ListLabels>(age: RecentEntries<ListLabels.Key, ListLabels>.seriesAge)
        var contents = RecentEntries<ListContent.Key, ListContent>(age: RecentEntries<ListContent.Key, ListContent>.seriesAge)
        var groups = RecentEntries<ValueGroup.Key, ValueGroup>(age: RecentEntries<ValueGroup.Key, ValueGroup>.seriesAge)
        var numbered = 0
    }

    private let state = Mutex(State())

    /// Lists held.
    var count: Int { state.withLock { $0.lists.count } }

    /// Distinct contents held.
    var contentCount: Int { state.withLock { $0.contents.count } }

    /// The labels of `presence`'s list `list` for a node in `cluster`: held, or made from the
    /// label sets `labelSets` reads (then kept).
    func labels<Failure: Error>(
        _ presence: PresenceRows,
        _ list: Int,
        cluster: String,
        labelSets: ([Int64]) throws(Failure) -> [Int64: Labels]
    ) throws(Failure) -> ListLabels {
        if let held = presence.heldLabels(list) { return held }
        let key = ListLabels.Key(digest: DigestBytes(presence.digest(list)), cluster: cluster)
        let now = HubClock.now()
        if let held = state.withLock({ $0.lists.value(for: key, now: now) }) {
            presence.hold(held, for: list)
            return held
        }
        let ids = presence.ids(list)
        let (content, carriers, nodes) = ListLabels.parts(try labelSets(ids))
        // A list that did not decode is not kept: the listing that met it answers from elsewhere.
        guard presence.complete else {
            return ListLabels(shared: ListContent(content, number: 0) { ValueGroup($0, number: 0) }, carriers: carriers, nodes: nodes)
        }
        let made = state.withLock { state in
            // A content forgotten meanwhile gets a new number: then a listing adds it twice, no harm.
            let shared: ListContent
            if let held = state.contents.value(for: content, now: now) {
                shared = held
            } else {
                state.numbered += 1
                shared = ListContent(content, number: state.numbered) { key in
                    if let held = state.groups.value(for: key, now: now) { return held }
                    state.numbered += 1
                    let group = ValueGroup(key, number: state.numbered)
                    state.groups.insert([key: group], now: now)
                    return group
                }
                state.contents.insert([content: shared], now: now)
            }
            let made = ListLabels(shared: shared, carriers: carriers, nodes: nodes)
            state.lists.insert([key: made], now: now)
            return made
        }
        presence.hold(made, for: list)
        return made
    }
}
