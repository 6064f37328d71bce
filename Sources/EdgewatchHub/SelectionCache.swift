/// A query's ``BlockSelection``s by node and series list. A node's blocks list their series in a
/// few ways, each met over and over: its batches' one list, and each metric name's list in the
/// compacted blocks (hundreds per node, interleaved with every other node's when a listing reads
/// the window's blocks in time order). A list is found by its length and first and last bytes (or
/// ids), then compared whole.
struct SelectionCache {
    private struct Key: Hashable {
        let node: String
        let count: Int
        let first: UInt64
        let last: UInt64
    }

    /// A list met, as it came (SQLite's varints or PostgreSQL's ids: later blocks compare theirs to
    /// it), and its selection.
    private struct Entry {
        let encoded: [UInt8]?
        let ids: [Int64]?
        let selection: BlockSelection
    }

    private var entries: [Key: [Entry]] = [:]
    private var size = 0
    /// Selections kept at most; a query meeting more starts over (each is made again when met).
    static let limit = 1 << 16

    /// The selection of the list stored as `bytes` (varints) in a block of `node`; `make` makes it
    /// the first time.
    mutating func selection(node: String, encoded bytes: UnsafeRawBufferPointer, make: () -> BlockSelection) -> BlockSelection {
        let key = Key(node: node, count: bytes.count, first: Self.word(bytes, at: 0), last: Self.word(bytes, at: max(bytes.count - 8, 0)))
        if let found = entries[key]?.first(where: { $0.encoded.map { BlockPoints.sameBytes($0, bytes) } ?? false }) { return found.selection }
        return insert(Entry(encoded: Array(bytes), ids: nil, selection: make()), key)
    }

    /// The same for a list of ids (PostgreSQL's array).
    mutating func selection(node: String, ids: [Int64], make: () -> BlockSelection) -> BlockSelection {
        let key = Key(node: node, count: ids.count, first: UInt64(bitPattern: ids.first ?? 0), last: UInt64(bitPattern: ids.last ?? 0))
        if let found = entries[key]?.first(where: { $0.ids == ids }) { return found.selection }
        return insert(Entry(encoded: nil, ids: ids, selection: make()), key)
    }

    private mutating func insert(_ entry: Entry, _ key: Key) -> BlockSelection {
        if size >= Self.limit {
            entries.removeAll()
            size = 0
        }
        entries[key, default: []].append(entry)
        size += 1
        return entry.selection
    }

    /// Up to 8 bytes from `offset`, big-endian.
    private static func word(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for index in offset..<min(offset + 8, bytes.count) { value = value << 8 | UInt64(bytes[index]) }
        return value
    }
}
