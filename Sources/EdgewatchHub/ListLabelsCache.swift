import EdgewatchCore
import Synchronization

/// The ``ListLabels`` of lists read lately, per list and cluster (``RecentEntries/seriesAge``),
/// their shared parts (``ListContent``, ``ValueGroup``) numbered and kept once per content met
/// lately, and found by the lists' content digests (``PresenceContentDigest``) with the cluster:
/// a listing needs no lookup for a list whose content another list with the same digest showed.
final class ListLabelsCache: Sendable {
    private struct State {
        var lists = RecentEntries<ListLabels.Key, ListLabels>(age: RecentEntries<ListLabels.Key, ListLabels>.seriesAge)
        /// Keyed by content digest (not list digest) and cluster.
        var byDigest = RecentEntries<ListLabels.Key, ListContent>(age: RecentEntries<ListLabels.Key, ListContent>.seriesAge)
        var contents = RecentEntries<ListContent.Key, ListContent>(age: RecentEntries<ListContent.Key, ListContent>.seriesAge)
        var groups = RecentEntries<ValueGroup.Key, ValueGroup>(age: RecentEntries<ValueGroup.Key, ValueGroup>.seriesAge)
        var numbered = 0
    }

    private let state = Mutex(State())

    /// Lists held.
    var count: Int { state.withLock { $0.lists.count } }

    /// Distinct contents held.
    var contentCount: Int { state.withLock { $0.contents.count } }

    /// The content of `presence`'s list `list` for a node in `cluster` when known without a
    /// lookup: held by the listing, or shown by a list with the same content digest (then held).
    func content(_ presence: PresenceRows, _ list: Int, cluster: String) -> ListContent? {
        if let held = presence.heldContent(list) { return held }
        guard let digest = presence.contentDigest(list) else { return nil }
        let now = HubClock.now()
        guard let shared = state.withLock({ $0.byDigest.value(for: ListLabels.Key(digest: digest, cluster: cluster), now: now) }) else {
            return nil
        }
        presence.holdContent(shared, for: list)
        return shared
    }

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
        let byDigest = presence.contentDigest(list).map { ListLabels.Key(digest: $0, cluster: cluster) }
        if let held = state.withLock({ state in
            let held = state.lists.value(for: key, now: now)
            if let held, let byDigest { state.byDigest.insert([byDigest: held.shared], now: now) }
            return held
        }) {
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
            if let byDigest { state.byDigest.insert([byDigest: shared], now: now) }
            return made
        }
        presence.hold(made, for: list)
        return made
    }
}
