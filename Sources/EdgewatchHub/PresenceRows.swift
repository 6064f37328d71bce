/// A window's ``SeriesPresence`` rows as a listing reads them from either backend: each row's
/// node and span, and its list of series decoded once however many rows share it (a node's list
/// repeats hour after hour while its series stay the same).
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
    /// False once a list did not decode: then the rows cannot answer for the window.
    private(set) var complete = true
    private var byDigest: [[UInt8]: Int] = [:]

    /// Adds a row; `ids` decodes its list (nil when it cannot), called only for a digest not met before.
    mutating func add(node: String, minTS: Int64, maxTS: Int64, digest: [UInt8], ids: () -> [Int64]?) {
        let list: Int
        if let known = byDigest[digest] {
            list = known
        } else {
            guard let decoded = ids() else {
                complete = false
                return
            }
            list = lists.count
            lists.append(decoded)
            digests.append(digest)
            byDigest[digest] = list
        }
        rows.append(Row(node: node, minTS: minTS, maxTS: maxTS, list: list))
    }
}
