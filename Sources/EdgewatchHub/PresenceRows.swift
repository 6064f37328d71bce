/// A window's ``SeriesPresence`` rows as a listing reads them from either backend: each row's
/// node and span, and its list of series kept once however many rows share it (a node's list
/// repeats hour after hour while its series stay the same; PostgreSQL sends it with one row
/// only, or, for a label listing, with none until one is needed: ``init(loader:)``). One
/// listing's, on its own thread.
final class PresenceRows {
    struct Row {
        var node: String
        var minTS: Int64
        var maxTS: Int64
        /// The longest time between consecutive points in the span, if known (``SeriesPresence/Row/gap``).
        var gap: Int64?
        /// Index into the distinct lists (``ids(_:)``).
        var list: Int
    }

    private(set) var rows: [Row] = []
    /// Each distinct list's digest, by list index.
    private(set) var digests: [[UInt8]] = []
    /// Each list's bytes (``SeriesPresence/encode(_:)``), nil until a row carried them; decoded
    /// only when a listing needs the ids (a label listing with its lists' labels held needs none).
    private var encoded: [[UInt8]?] = []
    private var decoded: [[Int64]?] = []
    /// Each list's labels once this listing has looked them up (a list is one node's: its ids
    /// name that node's series), so that a second look costs no shared lookup.
    private var labels: [ListLabels?] = []
    private var damaged = false
    private var byDigest: [DigestBytes: Int] = [:]
    /// Fetches the bytes of lists that have not come, by digest, when first needed: one list (its
    /// node's and digest) for the first few needed, else every list of the window, once; nil when
    /// it failed. A label listing whose lists' labels are held needs few or none of them (at 2000
    /// nodes of 500 series, 2 MB a listing).
    private var loader: (((node: String, digest: [UInt8])?) -> [DigestBytes: [UInt8]]?)?
    /// Lists fetched one by one so far.
    private var loadedAlone = 0
    /// The first node whose row carried each list (a list is one node's).
    private var listNodes: [String] = []

    /// Lists fetched one by one before the rest are fetched together.
    static let loadedAloneAtMost = 8

    /// Rows whose lists come with them (``add(node:minTS:maxTS:digest:bytes:)``), or, with a
    /// `loader`, when first needed.
    init(loader: (((node: String, digest: [UInt8])?) -> [DigestBytes: [UInt8]]?)? = nil) {
        self.loader = loader
    }

    /// Whether every row's list came (or may still be loaded) and every list decoded so far did;
    /// when not, the rows cannot answer for the window (checked before and after using them).
    var complete: Bool { !damaged && (loader != nil || !encoded.contains { $0 == nil }) }

    /// How many distinct lists the rows hold.
    var listCount: Int { digests.count }

    /// Adds a row; `bytes` gives its list's bytes (nil when the row does not carry them), called
    /// only while its digest's list has not come.
    func add(node: String, minTS: Int64, maxTS: Int64, gap: Int64? = nil, digest: [UInt8], bytes: () -> [UInt8]?) {
        let list: Int
        let key = DigestBytes(digest)
        if let index = byDigest[key] {
            list = index
        } else {
            list = digests.count
            digests.append(digest)
            encoded.append(nil)
            decoded.append(nil)
            labels.append(nil)
            listNodes.append(node)
            byDigest[key] = list
        }
        if encoded[list] == nil { encoded[list] = bytes() }
        rows.append(Row(node: node, minTS: minTS, maxTS: maxTS, gap: gap, list: list))
    }

    /// The labels ``ListLabelsCache`` gave for list `list` in this listing, if it has.
    func heldLabels(_ list: Int) -> ListLabels? { labels[list] }

    /// Keeps the labels of list `list` for the rest of this listing.
    func hold(_ listLabels: ListLabels, for list: Int) { labels[list] = listLabels }

    /// The sorted ids of list `list`, decoded once; empty (and the rows no longer ``complete``)
    /// when they do not decode.
    func ids(_ list: Int) -> [Int64] {
        if let ids = decoded[list] { return ids }
        if encoded[list] == nil { load(list) }
        guard let ids = encoded[list]?.withUnsafeBytes({ SeriesPresence.decode($0) }) else {
            damaged = true
            return []
        }
        decoded[list] = ids
        return ids
    }

    /// Fetches list `list`, alone while few were, else with every list that has not come; the
    /// rows are no longer ``complete`` when that failed or left one out.
    private func load(_ list: Int) {
        guard let loader else { return }
        let alone = loadedAlone < Self.loadedAloneAtMost
        if alone { loadedAlone += 1 } else { self.loader = nil }
        guard let fetched = loader(alone ? (listNodes[list], digests[list]) : nil) else {
            damaged = true
            return
        }
        for index in alone ? [list] : digests.indices.filter({ encoded[$0] == nil }) {
            encoded[index] = fetched[DigestBytes(digests[index])]
            if encoded[index] == nil { damaged = true }
        }
    }

    /// Every series id the lists of the rows of the nodes `admitted` takes name, each list decoded:
    /// a superset of their series with a point in the window (rows reaching past an edge name some
    /// without). A listing whose matchers name nodes reads only their series' label sets (a
    /// series' `node` is its row's, set by the hub).
    func everyID(ofNodes admitted: (String) -> Bool) -> Set<Int64> {
        var lists = Set<Int>()
        for row in rows where admitted(row.node) { lists.insert(row.list) }
        var every = Set<Int64>()
        for list in lists { every.formUnion(ids(list)) }
        return every
    }

    /// The nodes a row shows a point of in `[start, end]`: a row's span starts and ends at points
    /// (``SeriesPresence/rows(of:ids:)``), so a row with either end in the window has one there,
    /// and so has one whose span shares with the window a part at least as long as its gap (a
    /// dashboard's window inside the hour, which no row's end falls in).
    func nodesWithPoint(start: Int64, end: Int64) -> Set<String> {
        var nodes = Set<String>()
        for row in rows where Self.showsPoint(row, start: start, end: end) { nodes.insert(row.node) }
        return nodes
    }

    private static func showsPoint(_ row: Row, start: Int64, end: Int64) -> Bool {
        if (row.minTS >= start && row.minTS <= end) || (row.maxTS >= start && row.maxTS <= end) { return true }
        let (from, to) = (max(start, row.minTS), min(end, row.maxTS))
        guard let gap = row.gap, from <= to else { return false }
        // Both inside the row's span, which lies within an hour.
        return to - from >= gap
    }

    /// Per node (of `nodes`, or every node), the distinct lists of rows wholly inside `[start, end]`
    /// and those of rows reaching past an edge into it; and the parts of the window the reaching
    /// rows cover.
    func split(
        start: Int64,
        end: Int64,
        nodes: Set<String>? = nil
    ) -> (inside: [String: Set<Int>], reaching: [String: Set<Int>], covered: [ClosedRange<Int64>]) {
        var inside: [String: Set<Int>] = [:]
        var reaching: [String: Set<Int>] = [:]
        var covered: [ClosedRange<Int64>] = []
        for row in rows where row.maxTS >= start && row.minTS <= end && nodes?.contains(row.node) ?? true {
            if row.minTS >= start, row.maxTS <= end {
                inside[row.node, default: []].insert(row.list)
            } else {
                reaching[row.node, default: []].insert(row.list)
                covered.append(max(row.minTS, start)...min(row.maxTS, end))
            }
        }
        return (inside, reaching, covered)
    }
}
