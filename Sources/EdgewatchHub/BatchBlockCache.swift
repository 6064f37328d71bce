import EdgewatchPromQL

/// What a PostgreSQL replica keeps of the batch blocks its queries read: each block's listing (its
/// node, tier, span, series list, index and length) by id, and the points of the series decoded
/// of it for queries (``BlockPoints/decoded(_:tier:selection:)``) by id and position, as it keeps those of a
/// metric's own blocks read whole (``PostgresHubStorage/readWhole(_:into:_:)``). A block is never
/// changed once stored (upkeep deletes it and stores others, under new ids), so an entry is right
/// for as long as its block exists, and a query still lists the ids of its snapshot's blocks
/// first: a deleted block is never read, only forgotten here in time. A fleet dashboard's refresh
/// reads the same batch blocks of the open period again, less the few stored since; without this,
/// each read listed and fetched them all from the database (at 2000 nodes, 10,000 blocks: a
/// listing of 100 ms and as long for the ranges' TOAST lookups) and decoded them again (with the
/// ranges held instead of the points, one metric over those blocks took 20–22 ms in process, with
/// the points 16–18).
struct BatchBlockCache: Sendable {
    /// One series of one block: the block's id and the series' position in its list.
    struct SeriesKey: Hashable, Sendable {
        let block: Int64
        let position: Int
    }

    /// How long an entry stays unused (at least; at most twice that): batch blocks live until upkeep
    /// folds them, minutes in a hub that keeps up, and a dashboard refreshes more often than that.
    static let age: Int64 = 15 * 60_000
    /// Listings kept a generation (about 300 bytes each, its list shared with the node's other
    /// blocks): a fleet of 2000 nodes' as-received hour is 120,000 blocks, its last ten minutes 20,000.
    static let blockCapacity = 65_536
    /// Series kept a generation (a raw minute's six points, about 150 bytes with their entry): a
    /// panel of a few series a node over such ten minutes, 20 MB at most a generation.
    static let seriesCapacity = 131_072

    /// Nodes' gathered points kept a generation (``NodeBatchPoints``, each of at most
    /// ``NodeBatchPoints/keptPoints``: 34 MB at most a generation). A fleet panel over 2000 nodes'
    /// open period is 2000 entries of 60–240 points, 2–8 MB; a query over more nodes than this is
    /// answered, not kept.
    static let nodeCapacity = 8192

    /// Node names numbered at most (about) before they are numbered again (``numbers(of:)``).
    static let nodeNumbersCapacity = 16_384

    /// Grouped listings kept (``BatchListing``): a dashboard's few windows.
    static let listingsKept = 4

    /// The database (its oid) and the server's start time the entries were read from.
    private var instance = ""
    private var blocks = RecentEntries<Int64, ListedBlock>(age: Self.age, capacity: Self.blockCapacity)
    private var series = RecentEntries<SeriesKey, [Point]>(age: Self.age, capacity: Self.seriesCapacity)
    private var nodes = RecentEntries<NodeBatchPoints.Key, NodeBatchPoints>(age: Self.age, capacity: Self.nodeCapacity)
    /// The numbers of the nodes of the listings read (``ListedBlock/nodeNumber``): a query groups
    /// its thousands of batch blocks by these, not by hashing their node names.
    private var nodeNumbers: [String: Int] = [:]
    /// The grouped listings last used, the latest first, of at most ``blockCapacity`` blocks in all.
    private var listed: [(listing: BatchListing, used: Int64)] = []

    /// Forgets every entry when `instance` is not the one they were read from: block ids come from
    /// a sequence, and a database restored from a backup (a server restarted) or made again under
    /// the same name (another oid) hands out ids again that meant other blocks here.
    mutating func serve(_ instance: String) {
        guard instance != self.instance else { return }
        self = BatchBlockCache()
        self.instance = instance
    }

    /// Entries held (listings, series, nodes).
    var count: (listings: Int, series: Int, nodes: Int) { (blocks.count, series.count, nodes.count) }

    /// The listings of `ids` held, and the ids not held.
    mutating func listings(_ ids: [Int64], now: Int64) -> (found: [ListedBlock], missing: [Int64]) {
        var found: [ListedBlock] = []
        var missing: [Int64] = []
        found.reserveCapacity(ids.count)
        for id in ids {
            if let block = blocks.value(for: id, now: now) { found.append(block) } else { missing.append(id) }
        }
        return (found, missing)
    }

    /// The numbers of `nodes`, each numbered when first met. Past ``nodeNumbersCapacity`` (a
    /// fleet's churned nodes), every name is numbered again from 0 and the listings held (their
    /// numbers the former ones) are forgotten; a listing read meanwhile with a former number is
    /// not kept (``keep(_:now:)``), and a query that meets both groups by name instead.
    mutating func numbers(of nodes: [String]) -> [Int] {
        let new = Set(nodes.filter { nodeNumbers[$0] == nil })
        if !new.isEmpty, nodeNumbers.count + new.count > Self.nodeNumbersCapacity {
            nodeNumbers = [:]
            blocks = RecentEntries(age: Self.age, capacity: Self.blockCapacity)
            listed = []
        }
        return nodes.map { node in
            if let number = nodeNumbers[node] { return number }
            let number = nodeNumbers.count
            nodeNumbers[node] = number
            return number
        }
    }

    /// The grouped listing of exactly `ids` (in their order), when kept; kept another ``age`` then.
    /// A listing unused for ``age`` is forgotten.
    mutating func listing(_ ids: [Int64], now: Int64) -> BatchListing? {
        listed.removeAll { !(0..<Self.age).contains(now - $0.used) }
        guard let index = listed.firstIndex(where: { $0.listing.ids == ids }) else { return nil }
        let found = listed.remove(at: index).listing
        listed.insert((found, now), at: 0)
        return found
    }

    /// Keeps a grouped listing (the latest first), forgetting the oldest past ``listingsKept`` or
    /// ``blockCapacity`` blocks in all; a larger one is not kept.
    mutating func keep(listing: BatchListing, now: Int64) {
        guard listing.byNode != nil, listing.ids.count <= Self.blockCapacity else { return }
        listed.removeAll { $0.listing.ids == listing.ids }
        listed.insert((listing, now), at: 0)
        var blocks = 0
        let kept = listed.prefix(Self.listingsKept).prefix { entry in
            blocks += entry.listing.ids.count
            return blocks <= Self.blockCapacity
        }
        listed = Array(kept)
    }

    /// Keeps the listings of blocks with a series index (the others come with their data), unless
    /// numbered with a former number of their node.
    mutating func keep(_ listed: [ListedBlock], now: Int64) {
        let indexed = listed.filter { $0.byRanges && ($0.nodeNumber < 0 || nodeNumbers[$0.node] == $0.nodeNumber) }
        blocks.insert(Dictionary(indexed.map { ($0.id, $0) }) { first, _ in first }, now: now)
    }

    /// The points of `block`'s series at `positions`, one list each, when all of them are held.
    mutating func points(of block: Int64, _ positions: [Int], now: Int64) -> [[Point]]? {
        var found: [[Point]] = []
        found.reserveCapacity(positions.count)
        for position in positions {
            guard let points = series.value(for: SeriesKey(block: block, position: position), now: now) else { return nil }
            found.append(points)
        }
        return found
    }

    /// Keeps the points of blocks' series decoded, per block one list for each of its positions.
    mutating func keep(points decoded: [Int64: (positions: [Int], points: [[Point]])], now: Int64) {
        var entries: [SeriesKey: [Point]] = [:]
        for (block, read) in decoded where read.positions.count == read.points.count {
            for (position, points) in zip(read.positions, read.points) { entries[SeriesKey(block: block, position: position)] = points }
        }
        series.insert(entries, now: now)
    }

    /// A node's gathered points of the blocks and series `key` names, when held.
    mutating func nodePoints(_ key: NodeBatchPoints.Key, now: Int64) -> NodeBatchPoints? {
        nodes.value(for: key, now: now)
    }

    /// Keeps nodes' gathered points (those within ``NodeBatchPoints/keptPoints``).
    mutating func keep(nodes gathered: [NodeBatchPoints.Key: NodeBatchPoints], now: Int64) {
        nodes.insert(gathered.filter { $0.value.count <= NodeBatchPoints.keptPoints }, now: now)
    }
}
