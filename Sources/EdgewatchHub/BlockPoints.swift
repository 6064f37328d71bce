import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL

#if canImport(Glibc)
import Glibc
#endif

/// The points of the wanted series in `[start, end]`, gathered from stored blocks (each a batch's
/// block with the hub's ids of its series) by either backend. A raw sample wins over a rollup at
/// the same instant; a rollup counts by its last value. Samples before a node's retention mark for
/// their tier (`floors`) are left out: retention has summarised them, and kept only the blocks that
/// reach past the mark.
struct BlockPoints {
    private let wanted: [Int64: Labels]
    private let wantedByNode: WantedByNode
    private let floors: [String: [Int: Int64]]
    private let start: Int64
    private let end: Int64
    /// Per series id, its blocks' points in `[start, end]`.
    private var collected: [Int64: GatheredPoints] = [:]
    /// One block's points of one series, before they join the series' (reused block after block).
    private var scratch: [Point] = []
    /// The selections of the series lists met so far.
    private var selections = SelectionCache()
    /// Series known to have a point in the window without decoding one (``present(node:tier:from:to:selection:)``).
    private var listed = Set<Int64>()

    /// `byNode`: `wanted`'s ids by node when made already (else they are grouped here).
    init(wanted: [Int64: Labels], byNode: WantedByNode? = nil, start: Int64, end: Int64, floors: [String: [Int: Int64]] = [:]) {
        self.wanted = wanted
        wantedByNode = byNode ?? WantedByNode(wanted)
        self.floors = floors
        self.start = start
        self.end = end
    }

    /// Every wanted series id.
    var wantedIDs: [Int64] { Array(wanted.keys) }
    /// The nodes of the wanted series, sorted.
    var wantedNodes: [String] { wantedByNode.nodes }
    /// How many nodes the wanted series are of.
    var wantedNodeCount: Int { wantedByNode.count }

    /// The wanted series ids of `node`, ascending.
    func wantedIDs(of node: String) -> [Int64] { wantedByNode.ids(of: node) }

    /// The selection of a block from `node` whose series ids are `ids`; nil when it holds no
    /// wanted series (then it need not be read at all).
    mutating func selection(node: String, ids: [Int64]) -> BlockSelection? {
        let mine = wantedByNode.ids(of: node)
        let selection = selections.selection(node: node, ids: ids) { BlockSelection(ids: ids, wantedAmong: mine) }
        return selection.wantsAny ? selection : nil
    }

    /// The same for ids stored as varints (SQLite's `blocks.series`), read in place: equal bytes
    /// need no decoding (nor a copy).
    mutating func selection(node: String, encodedIDs: UnsafeRawBufferPointer) -> BlockSelection? {
        let mine = wantedByNode.ids(of: node)
        let selection = selections.selection(node: node, encoded: encodedIDs) { BlockSelection(encoded: encodedIDs, wantedAmong: mine) }
        return selection.wantsAny ? selection : nil
    }

    /// `==` on byte arrays compares element by element; this compares the buffers at once (a node's
    /// series list is a kilobyte, met once per block read).
    static func sameBytes(_ a: [UInt8], _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        return a.withUnsafeBytes { a in
            guard let left = a.baseAddress, let right = b.baseAddress else { return true }
            return memcmp(left, right, a.count) == 0
        }
    }

    /// Adds a block's points (a block read whole: only the wanted series are decoded); false when
    /// its bytes cannot be decoded.
    mutating func add(node: String, tier: Int, selection: BlockSelection, data: [UInt8]) -> Bool {
        guard let block = try? BlockCodec.decode(data, keeping: selection.wanted) else { return false }
        add(node: node, tier: tier, selection: selection, block: block)
        return true
    }

    /// The wanted series of a decoded block (its series numbered by position in the selection).
    private mutating func add(node: String, tier: Int, selection: BlockSelection, block: Block) {
        let start = max(self.start, floors[node]?[tier] ?? .min)
        for entry in block.series {
            guard let id = selection.id(at: Int(entry.id)) else { continue }
            scratch.removeAll(keepingCapacity: true)
            Self.append(entry, timestamps: block.timestamps, tier: tier, to: &scratch)
            append(scratch, id: id, tier: tier, from: start)
        }
    }

    /// The points of a block's series decoded earlier (``decoded(_:tier:)``), one list per
    /// position of the selection.
    mutating func add(node: String, tier: Int, selection: BlockSelection, decoded: [[Point]]) {
        let start = max(self.start, floors[node]?[tier] ?? .min)
        for (id, points) in zip(selection.positionIDs, decoded) { append(points, id: id, tier: tier, from: start) }
    }

    /// A node's batch blocks' points gathered earlier (``NodeBatchPoints``), each series and tier
    /// in one list.
    mutating func add(node: String, gathered: NodeBatchPoints) {
        let marks = floors[node]  // once a node, not once a series (a fleet's nodes all have retention marks)
        for chunk in gathered.chunks {
            append(chunk.points, id: chunk.id, tier: chunk.tier, from: max(start, marks?[chunk.tier] ?? .min))
        }
    }

    /// The points of a decoded block's wanted series (the tier's column, at the rows each has), one
    /// list per position of `selection`, empty where the block holds no series at that position:
    /// what a replica keeps of a block read (``BatchBlockCache``, ``SQLiteBlockPoints``).
    static func decoded(_ block: Block, tier: Int, selection: BlockSelection) -> [[Point]] {
        var lists = [[Point]](repeating: [], count: selection.positions.count)
        for entry in block.series {
            guard let slot = selection.slot(of: Int(entry.id)) else { continue }
            append(entry, timestamps: block.timestamps, tier: tier, to: &lists[slot])
        }
        return lists
    }

    /// Appends a series' points in its block: a raw block's value, a rollup's last value (the last
    /// column; an imported rollup carries only that), at each row the series has.
    private static func append(_ entry: BlockSeries, timestamps: [Int64], tier: Int, to points: inout [Point]) {
        let column = tier == Tier.raw.rawValue ? 0 : entry.values.count - 1
        guard column >= 0, column < entry.values.count else { return }
        let values = entry.values[column]
        var valueIndex = 0
        for (row, timestamp) in timestamps.enumerated() {
            if let present = entry.present, row < present.count, !present[row] { continue }
            guard valueIndex < values.count else { return }
            points.append(Point(timestamp, values[valueIndex]))
            valueIndex += 1
        }
    }

    /// Adds the points of series `id` in `[from, end]` from one block.
    private mutating func append(_ points: [Point], id: Int64, tier: Int, from start: Int64) {
        guard !points.isEmpty else { return }
        if points.allSatisfy({ $0.timestamp >= start && $0.timestamp <= end }) {
            collected[id, default: GatheredPoints()].append(tier: tier, points)
            return
        }
        let inside = points.filter { $0.timestamp >= start && $0.timestamp <= end }
        if !inside.isEmpty { collected[id, default: GatheredPoints()].append(tier: tier, inside) }
    }

    /// For a query of label sets only: whether the block spanning `[from, to]` lies wholly inside
    /// the window (and past its tier's retention mark), so it has a point there of every series it
    /// lists; they are marked present and it need not be decoded. A block reaching past an edge is
    /// best read after the others, and only unless ``knowsAll(_:)`` by then.
    mutating func present(node: String, tier: Int, from: Int64, to: Int64, selection: BlockSelection) -> Bool {
        guard from >= max(start, floors[node]?[tier] ?? .min), to <= end else { return false }
        listed.formUnion(selection.positionIDs)
        return true
    }

    /// Whether every wanted series is known to have a point in the window (a listing can stop).
    var knowsEveryWanted: Bool { listed.count == wanted.count }

    /// Whether every wanted series of the selection is known to have a point in the window.
    func knowsAll(_ selection: BlockSelection) -> Bool {
        selection.positionIDs.allSatisfy { listed.contains($0) || collected[$0] != nil }
    }

    /// The label sets of the wanted series with a point in the window: those listed by a block
    /// inside it and those with points decoded.
    func labelSets() -> [Labels] {
        presentIDs.compactMap { wanted[$0] }
    }

    /// The wanted series with a point in the window (``labelSets()``'s, by id).
    var presentIDs: Set<Int64> { listed.union(collected.keys) }

    /// The series with points, in the order the hub first stored them (by id, as Prometheus' head
    /// hands a query its series: by reference, not by labels, and so an aggregation adds them up in
    /// its order); one point per instant, the lowest tier's. With `ordered`, by label set when the
    /// wanted series come with that order (``WantedByNode/ordered``, made once for a kept query).
    /// Answers sort their own output; sorting a fleet panel's eight thousand input series by labels
    /// had taken half its time.
    func series(ordered: Bool = false) -> [Series] {
        var result: [Series] = []
        result.reserveCapacity(collected.count)
        func add(_ id: Int64, _ gathered: GatheredPoints) {
            guard let labels = wanted[id] else { return }
            result.append(Series(labels: labels, points: gathered.merged()))
        }
        if ordered, let byLabels = wantedByNode.ordered {
            for id in byLabels { if let gathered = collected[id] { add(id, gathered) } }
        } else {
            for (id, gathered) in collected.sorted(by: { $0.key < $1.key }) { add(id, gathered) }
        }
        return result
    }

    /// One series' blocks as one time-ordered list. Blocks usually follow each other without
    /// overlapping (then they are joined as they are); otherwise every point is sorted by time and
    /// tier and the first of each instant kept.
    static func merged(_ chunks: [(tier: Int, points: [Point])]) -> [Point] {
        if chunks.count == 1, let only = chunks.first, isIncreasing(only.points[...]) { return only.points }
        let ordered = chunks.sorted { ($0.points[0].timestamp, $0.tier) < ($1.points[0].timestamp, $1.tier) }
        let disjoint = zip(ordered, ordered.dropFirst()).allSatisfy { $0.points[$0.points.count - 1].timestamp < $1.points[0].timestamp }
        if disjoint, ordered.allSatisfy({ isIncreasing($0.points[...]) }) {
            var joined: [Point] = []
            joined.reserveCapacity(ordered.reduce(0) { $0 + $1.points.count })
            for chunk in ordered { joined += chunk.points }
            return joined
        }
        var all: [(Int64, Int, Double)] = []
        for chunk in chunks { all += chunk.points.map { ($0.timestamp, chunk.tier, $0.value) } }
        all.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var points: [Point] = []
        points.reserveCapacity(all.count)
        for point in all where points.last?.timestamp != point.0 { points.append(Point(point.0, point.2)) }
        return points
    }

    static func isIncreasing(_ points: ArraySlice<Point>) -> Bool {
        var index = points.startIndex + 1
        while index < points.endIndex {
            guard points[index - 1].timestamp < points[index].timestamp else { return false }
            index += 1
        }
        return true
    }
}
