/// A window's ``SeriesPresence`` rows as a listing reads them from either backend: each row's
/// node and span, and its list of series decoded once however many rows share it (a node's list
/// repeats hour after hour while its series stay the same; PostgreSQL sends it with one row only).
struct PresenceRows {
    struct Row {
        var node: String
        var minTS: Int64
        var maxTS: Int64
        /// Index into ``lists``.
        var list: Int
    }

    private(set) var rows: [Row] = []
    /// The distinct lists read, sorted ids each.
    private(set) var lists: [[Int64]] = []
    /// Each list's digest, by the same index.
    private(set) var digests: [[UInt8]] = []
    /// Whether each list came (with one of its rows) and decoded, by the same index.
    private var known: [Bool] = []
    private var byDigest: [[UInt8]: Int] = [:]

    /// Whether every row's list is known; when not, the rows cannot answer for the window.
    var complete: Bool { !known.contains(false) }

    /// Adds a row; `ids` decodes its list (nil when the row does not carry it or it does not
    /// decode), called only while its digest's list is not known.
    mutating func add(node: String, minTS: Int64, maxTS: Int64, digest: [UInt8], ids: () -> [Int64]?) {
        let list: Int
        if let index = byDigest[digest] {
            list = index
        } else {
            list = lists.count
            lists.append([])
            digests.append(digest)
            known.append(false)
            byDigest[digest] = list
        }
        if !known[list], let decoded = ids() {
            lists[list] = decoded
            known[list] = true
        }
        rows.append(Row(node: node, minTS: minTS, maxTS: maxTS, list: list))
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
