/// A window's ``SeriesPresence`` rows as a listing reads them from either backend's
/// ``PresenceMirror``: each row's node and span, and its list of series kept once however many
/// rows share it (a node's list repeats hour after hour while its series stay the same), read
/// only when first needed. Nodes and lists are numbered, so that a listing over a fleet's rows
/// hashes integers, not names and digests. One listing's, on its own thread.
final class PresenceRows {
    struct Row {
        /// Index into the node names (``nodeName(_:)``).
        var node: Int
        var minTS: Int64
        var maxTS: Int64
        /// The longest time between consecutive points in the span, if known (``SeriesPresence/Row/gap``).
        var gap: Int64?
        /// Whether each of its series has a point at all its times (``SeriesPresence/Row/dense``).
        var dense = false
        /// Index into the distinct lists (``ids(_:)``).
        var list: Int
    }

    typealias Loader = ((node: String, digest: [UInt8])?) -> [DigestBytes: [UInt8]]?

    private(set) var rows: [Row] = []
    /// Node names by number (the mirror's whole table).
    private var nodeNames: [String] = []
    /// List digests by the mirror's number (``List/source``).
    private var mirrorDigests: [DigestBytes] = []
    /// Content digests by the mirror's number (``List/content``).
    private var contentDigests: [DigestBytes] = []
    /// What the listing holds of each list.
    private struct List {
        /// Its number in the mirror the rows came from.
        var source: Int
        /// The node of the first row that named it (a list is one node's), by number.
        var node: Int
        /// The content digest of a row that named it (``PresenceContentDigest``), by the
        /// mirror's number; -1 when none had one.
        var content: Int
        /// Its bytes (``SeriesPresence/encode(_:)``), nil until loaded; decoded only when a
        /// listing needs the ids (a label listing with its lists' labels held needs none).
        var encoded: [UInt8]? = nil
        var decoded: [Int64]? = nil
        /// Its labels once this listing has looked them up (its ids name that node's series), so
        /// that a second look costs no shared lookup.
        var labels: ListLabels? = nil
        /// Its content once known by its content digest (``ListLabelsCache/content(_:_:cluster:)``).
        var shared: ListContent? = nil
    }

    private var lists: [List] = []
    /// Lists whose bytes have not come.
    private var missing = 0
    /// What listings learned of the mirror's lists.
    private var memo = ListLabelsMemo()
    /// Labels of mirrored lists looked up in this listing, by the mirror's number (``learned``).
    private(set) var learned: [Int: ListLabels] = [:]
    /// Contents of mirrored lists known by their content digest in this listing, by the mirror's number.
    private(set) var learnedContents: [Int: ListContent] = [:]
    /// The mirror's numbering those numbers are of (``PresenceWindow/numbering``).
    private(set) var numbering = 0
    private var damaged = false
    /// Fetches the bytes of lists that have not come, by digest, when first needed: one list (its
    /// node's and digest) for the first few needed, else every list of the window, once; nil when
    /// it failed. A label listing whose lists' labels are held needs few or none of them (at 2000
    /// nodes of 500 series, 2 MB a listing).
    private var loader: Loader?
    /// Lists fetched one by one so far.
    private var loadedAlone = 0
    /// The window ``lists(start:end:)`` was last asked for, and per node the lists of its rows
    /// "inside" it (made when first needed).
    private var window: (start: Int64, end: Int64)?
    private var insideByNode: [Int: [Int]]?

    /// Lists fetched one by one before the rest are fetched together.
    static let loadedAloneAtMost = 8

    /// The rows of a ``PresenceMirror`` window, their lists read by `loader` when first needed.
    init(_ window: PresenceWindow, loader: @escaping Loader) {
        self.loader = loader
        (nodeNames, mirrorDigests, memo, numbering) = (window.nodes, window.digests, window.memo, window.numbering)
        contentDigests = window.contents
        // Built in locals and stored once: appending to the properties row by row checked each
        // access for exclusivity (a tenth of a label listing's time at 2000 nodes).
        var (rows, lists) = ([Row](), [List]())
        rows.reserveCapacity(window.rows.count)
        // The listing's index of each of the mirror's lists (-1: not met yet).
        var bySource = [Int32](repeating: -1, count: window.digests.count)
        for row in window.rows {
            if bySource[row.list] < 0 {
                bySource[row.list] = Int32(lists.count)
                lists.append(List(source: row.list, node: row.node, content: row.content))
            } else if row.content >= 0 {
                lists[Int(bySource[row.list])].content = row.content
            }
            rows.append(Row(node: row.node, minTS: row.minTS, maxTS: row.maxTS, gap: row.gap, dense: row.dense, list: Int(bySource[row.list])))
        }
        (self.rows, self.lists, missing) = (rows, lists, lists.count)
    }

    /// Whether every row's list came (or may still be loaded) and every list decoded so far did;
    /// when not, the rows cannot answer for the window (checked before and after using them).
    var complete: Bool { !damaged && (loader != nil || missing == 0) }

    /// How many distinct lists the rows hold.
    var listCount: Int { lists.count }

    /// Node `number`'s name.
    func nodeName(_ number: Int) -> String { nodeNames[number] }

    /// How many nodes the mirror numbers (every row's node is below it).
    var nodeCount: Int { nodeNames.count }

    /// The name of the node whose list `list` is.
    func listNode(_ list: Int) -> String { nodeNames[lists[list].node] }

    /// List `list`'s digest.
    func digest(_ list: Int) -> [UInt8] { mirrorDigests[lists[list].source].bytes }

    /// List `list`'s content digest (``PresenceContentDigest``), when a row that named it had one.
    func contentDigest(_ list: Int) -> DigestBytes? {
        lists[list].content < 0 ? nil : contentDigests[lists[list].content]
    }

    /// List `list`'s content number (``ListLabels/content``) when known without a lookup: looked
    /// up already in this listing, or learned by an earlier one.
    func knownContent(_ list: Int) -> Int? {
        if let held = lists[list].labels { return held.content }
        if let held = lists[list].shared { return held.number }
        return memo.contentNumber(lists[list].source)
    }

    /// The labels ``ListLabelsCache`` gave for list `list` in this or an earlier listing, if it has.
    func heldLabels(_ list: Int) -> ListLabels? {
        if let held = lists[list].labels { return held }
        let source = lists[list].source
        guard let learned = memo.labels[source] else { return nil }
        lists[list].labels = learned
        return learned
    }

    /// List `list`'s content as this or an earlier listing knew it (by its labels or its digest).
    func heldContent(_ list: Int) -> ListContent? {
        if let held = lists[list].labels?.shared ?? lists[list].shared { return held }
        guard let learned = memo.content(lists[list].source) else { return nil }
        lists[list].shared = learned
        return learned
    }

    /// Keeps the content of list `list`, known by its digest, for the rest of this listing, and
    /// for the mirror (``learnedContents``).
    func holdContent(_ content: ListContent, for list: Int) {
        lists[list].shared = content
        learnedContents[lists[list].source] = content
    }

    /// Keeps the labels of list `list` for the rest of this listing, and for the mirror (``learned``).
    func hold(_ listLabels: ListLabels, for list: Int) {
        lists[list].labels = listLabels
        learned[lists[list].source] = listLabels
    }

    /// The sorted ids of list `list`, decoded once; empty (and the rows no longer ``complete``)
    /// when they do not decode.
    func ids(_ list: Int) -> [Int64] {
        if let ids = lists[list].decoded { return ids }
        if lists[list].encoded == nil { load(list) }
        guard let ids = lists[list].encoded?.withUnsafeBytes({ SeriesPresence.decode($0) }) else {
            damaged = true
            return []
        }
        lists[list].decoded = ids
        return ids
    }

    /// Fetches list `list`, alone while few were, else with every list that has not come; the
    /// rows are no longer ``complete`` when that failed or left one out.
    private func load(_ list: Int) {
        guard let loader else { return }
        let alone = loadedAlone < Self.loadedAloneAtMost
        if alone { loadedAlone += 1 } else { self.loader = nil }
        guard let fetched = loader(alone ? (listNode(list), digest(list)) : nil) else {
            damaged = true
            return
        }
        for index in alone ? [list] : lists.indices.filter({ lists[$0].encoded == nil }) {
            lists[index].encoded = fetched[DigestBytes(digest(index))]
            if lists[index].encoded == nil { damaged = true } else { missing -= 1 }
        }
    }

    /// The lists of rows each of whose series has a point in `[start, end]` (``holdsEverySeries(_:start:end:)``:
    /// "inside"), and those of the other rows reaching into it that no such row has, each once
    /// (a list is one node's: ``listNode(_:)``).
    func lists(start: Int64, end: Int64) -> (inside: [Int], reaching: [Int]) {
        var state = [UInt8](repeating: 0, count: listCount)
        for row in rows where row.maxTS >= start && row.minTS <= end {
            state[row.list] = Self.holdsEverySeries(row, start: start, end: end) ? 2 : max(state[row.list], 1)
        }
        (window, insideByNode) = ((start, end), nil)
        return (state.indices.filter { state[$0] == 2 }, state.indices.filter { state[$0] == 1 })
    }

    /// The lists of node `node`'s rows inside the window ``lists(start:end:)`` was last asked.
    func insideLists(ofNodeOf list: Int) -> [Int] {
        if insideByNode == nil, let (start, end) = window {
            var byNode: [Int: Set<Int>] = [:]
            for row in rows where Self.holdsEverySeries(row, start: start, end: end) { byNode[row.node, default: []].insert(row.list) }
            insideByNode = byNode.mapValues(Array.init)
        }
        return insideByNode?[lists[list].node] ?? []
    }
}
