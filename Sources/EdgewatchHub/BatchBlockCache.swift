/// What a PostgreSQL replica keeps of the batch blocks its queries read: each block's listing (its
/// node, tier, span, series list, index and length) by id, and the byte ranges of its data fetched
/// for wanted series. A block is never changed once stored (upkeep deletes it and stores others,
/// under new ids), so an entry is right for as long as its block exists, and a query still lists
/// the ids of its snapshot's blocks first: a deleted block is never read, only forgotten here in
/// time. A fleet dashboard's refresh reads the same batch blocks of the open period again, less
/// the few stored since; without this, each read listed and fetched them all from the database
/// (at 2000 nodes, 10,000 blocks: a listing of 100 ms and as long for the ranges' TOAST lookups).
struct BatchBlockCache: Sendable {
    /// A byte range of one block's data.
    struct RangeKey: Hashable, Sendable {
        let block: Int64
        let offset: Int
        let count: Int
    }

    /// How long an entry stays unused (at least; at most twice that): batch blocks live until upkeep
    /// folds them, minutes in a hub that keeps up, and a dashboard refreshes more often than that.
    static let age: Int64 = 15 * 60_000
    /// Listings kept a generation (about 300 bytes each, its list shared with the node's other
    /// blocks): a fleet of 2000 nodes' as-received hour is 120,000 blocks, its last ten minutes 20,000.
    static let blockCapacity = 65_536
    /// Ranges kept a generation (a series' bytes, tens of bytes each): a panel of a few series a node
    /// over such ten minutes.
    static let rangeCapacity = 131_072

    /// The database (its oid) and the server's start time the entries were read from.
    private var instance = ""
    private var blocks = RecentEntries<Int64, ListedBlock>(age: Self.age, capacity: Self.blockCapacity)
    private var ranges = RecentEntries<RangeKey, [UInt8]>(age: Self.age, capacity: Self.rangeCapacity)

    /// Forgets every entry when `instance` is not the one they were read from: block ids come from
    /// a sequence, and a database restored from a backup (a server restarted) or made again under
    /// the same name (another oid) hands out ids again that meant other blocks here.
    mutating func serve(_ instance: String) {
        guard instance != self.instance else { return }
        self = BatchBlockCache()
        self.instance = instance
    }

    /// Entries held (listings, ranges).
    var count: (listings: Int, ranges: Int) { (blocks.count, ranges.count) }

    /// The listings of `ids` held, and the ids not held.
    mutating func listings(_ ids: [Int64], now: Int64) -> (found: [ListedBlock], missing: [Int64]) {
        let (found, missing) = blocks.values(for: ids, now: now)
        return (found.map(\.value), missing)
    }

    /// Keeps the listings of blocks with a series index (the others come with their data).
    mutating func keep(_ listed: [ListedBlock], now: Int64) {
        let indexed = listed.filter { !$0.index.isEmpty && $0.data == nil }
        blocks.insert(Dictionary(indexed.map { ($0.id, $0) }) { first, _ in first }, now: now)
    }

    /// The bytes of every range of `block` when all of them are held.
    mutating func ranges(of block: Int64, _ wanted: [Range<Int>], now: Int64) -> [(offset: Int, bytes: [UInt8])]? {
        var found: [(offset: Int, bytes: [UInt8])] = []
        found.reserveCapacity(wanted.count)
        for range in wanted {
            guard let bytes = ranges.value(for: RangeKey(block: block, offset: range.lowerBound, count: range.count), now: now) else {
                return nil
            }
            found.append((range.lowerBound, bytes))
        }
        return found
    }

    /// Keeps fetched ranges of blocks.
    mutating func keep(ranges fetched: [Int64: [(offset: Int, bytes: [UInt8])]], now: Int64) {
        var entries: [RangeKey: [UInt8]] = [:]
        for (block, parts) in fetched {
            for part in parts { entries[RangeKey(block: block, offset: part.offset, count: part.bytes.count)] = part.bytes }
        }
        ranges.insert(entries, now: now)
    }
}
