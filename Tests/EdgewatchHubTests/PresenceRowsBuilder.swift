@testable import EdgewatchHub

/// ``PresenceRows`` as a listing gets them from a ``PresenceMirror``'s window: rows added one by
/// one, each list's bytes given by the loader when first needed.
struct PresenceRowsBuilder {
    private var window = PresenceWindow()
    private var nodes: [String: Int] = [:]
    private var digests: [DigestBytes: Int] = [:]
    /// The bytes the default loader gives, by digest.
    var lists: [DigestBytes: [UInt8]] = [:]

    /// Adds a row of `node` whose list has `digest`; `ids` (encoded) or `bytes`, when given, are
    /// that list's bytes.
    mutating func add(
        node: String,
        minTS: Int64,
        maxTS: Int64,
        gap: Int64? = nil,
        dense: Bool = false,
        digest: [UInt8],
        ids: [Int64]? = nil,
        bytes: [UInt8]? = nil
    ) {
        let nodeNumber = nodes[node] ?? window.nodes.count
        if nodeNumber == window.nodes.count {
            nodes[node] = nodeNumber
            window.nodes.append(node)
        }
        let key = DigestBytes(digest)
        let list = digests[key] ?? window.digests.count
        if list == window.digests.count {
            digests[key] = list
            window.digests.append(key)
        }
        if let encoded = ids.map(SeriesPresence.encode) ?? bytes { lists[key] = encoded }
        window.rows.append(PresenceMirror.Row(node: nodeNumber, list: list, minTS: minTS, maxTS: maxTS, gap: gap, dense: dense))
    }

    /// The rows, their lists from `loader`, or by default from ``lists`` (a list missing there is
    /// not fetched).
    func rows(loader: PresenceRows.Loader? = nil) -> PresenceRows {
        let lists = lists
        return PresenceRows(window) { wanted in
            if let loader { return loader(wanted) }
            guard let wanted else { return lists }
            return lists.filter { $0.key == DigestBytes(wanted.digest) }
        }
    }
}
