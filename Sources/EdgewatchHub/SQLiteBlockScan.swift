import EdgewatchEncoding
import EdgewatchPromQL
import EdgewatchSQLite

/// One query's walk over listed block rows (``SQLiteHubStorage/blockColumns``' order): the wanted
/// series' points read, or for a listing of label sets only which series a block inside the window
/// holds, the blocks reaching past its edges kept to be read after the rest.
struct SQLiteBlockScan {
    let nodes: Set<String>
    let labelsOnly: Bool
    let reads: SQLiteBlockReads
    /// The points kept of blocks read before (``SQLiteBlockPoints``), and the time to look them up at.
    let kept: SQLiteBlockPoints?
    let now: Int64
    /// The selections of blocks read for the same wanted series before, and what this scan adds.
    private let memo: SelectionMemo?
    private let remembered: [Int64: SelectionMemo.Remembered]
    private var met: [Int64] = []
    private var made: [Int64: SelectionMemo.Remembered] = [:]
    /// Blocks that did not decode.
    private(set) var damaged = 0
    /// A listing's blocks reaching past the window's edges, by row.
    private var edges: [(row: Int64, selection: BlockSelection)] = []
    /// The points of the blocks decoded in this scan, kept once it is over (``keep()``).
    private var decoded: [Int64: (positions: [Int], points: [[Point]])] = [:]

    init(
        nodes: Set<String>,
        labelsOnly: Bool,
        reads: SQLiteBlockReads,
        kept: SQLiteBlockPoints? = nil,
        memo: SelectionMemo? = nil,
        now: Int64 = 0
    ) {
        self.nodes = nodes
        self.labelsOnly = labelsOnly
        self.reads = reads
        self.kept = kept
        self.memo = memo
        remembered = memo?.snapshot() ?? [:]
        self.now = now
    }

    /// Whether blocks are remembered for the wanted series (from an earlier query).
    var remembersAny: Bool { !remembered.isEmpty }

    /// Steps through `statement`'s rows; a listing stops (and resets it) once every wanted series is known.
    mutating func step(_ statement: SQLiteStatement, into points: inout BlockPoints, readingEdges: Bool = false) throws(SQLiteError) {
        defer { reads.close() }
        try rows(statement, into: &points, readingEdges: readingEdges)
    }

    /// Steps through the block ids `statement` lists (an index's alone, no row read): a block
    /// remembered whose points are kept is taken without its row; the others' rows are read by
    /// `byRow` (bound to the id and `end`, ``SQLiteHubStorage/blockColumns`` of a block whose
    /// `min_ts` is not past `end`). A dashboard's next refresh reads no row it read before.
    mutating func step(ids statement: SQLiteStatement, byRow: SQLiteStatement, end: Int64, into points: inout BlockPoints) throws(SQLiteError) {
        defer { reads.close() }
        while try statement.step() {
            let block = statement.int64(0)
            if let remembered = remembered[block], taken(remembered, block: block, end: end, into: &points) { continue }
            byRow.reset()
            try rows(byRow.bind(1, block).bind(2, end), into: &points, readingEdges: false)
        }
    }

    /// Whether the remembered `block` is done with: passed over (none of its series wanted, or it
    /// begins after `end`), or its points taken from those kept.
    private mutating func taken(_ remembered: SelectionMemo.Remembered, block: Int64, end: Int64, into points: inout BlockPoints) -> Bool {
        guard let selection = remembered.selection, remembered.first <= end else {
            met.append(block)
            return true
        }
        guard let held = kept?.points(of: block, selection.positions, now: now) else { return false }
        met.append(block)
        points.add(node: remembered.node, tier: remembered.tier, selection: selection, decoded: held)
        return true
    }

    private mutating func rows(_ statement: SQLiteStatement, into points: inout BlockPoints, readingEdges: Bool) throws(SQLiteError) {
        while try statement.step() {
            guard let (node, selection) = selection(statement, &points) else { continue }
            if labelsOnly, !readingEdges {
                let inside = points.present(
                    node: node,
                    tier: Int(statement.int64(2)),
                    from: statement.int64(6),
                    to: statement.int64(7),
                    selection: selection
                )
                if !inside { edges.append((statement.int64(0), selection)) }
                if points.knowsEveryWanted {
                    statement.reset()
                    return
                }
                continue
            }
            if !read(statement, node: node, selection: selection, into: &points) { damaged += 1 }
        }
    }

    /// The node and selection of the block at `statement`'s row, remembered or made; nil when the
    /// block holds none of the wanted series.
    private mutating func selection(_ statement: SQLiteStatement, _ points: inout BlockPoints) -> (String, BlockSelection)? {
        let block = statement.int64(0)
        if let remembered = remembered[block] {
            met.append(block)
            return remembered.selection.map { (remembered.node, $0) }
        }
        let node = statement.string(1)
        // The series list is read where SQLite holds it, not copied.
        let selection = nodes.contains(node) ? statement.withBlob(3, { points.selection(node: node, encodedIDs: $0) }) : nil
        if memo != nil {
            made[block] = SelectionMemo.Remembered(node: node, tier: Int(statement.int64(2)), first: statement.int64(6), selection: selection)
        }
        return selection.map { (node, $0) }
    }

    /// Reads the edge blocks whose series no block inside the window told of.
    mutating func readEdges(into points: inout BlockPoints, _ reader: SQLiteDatabase) throws(SQLiteError) {
        defer { reads.close() }
        let byRow = try reader.statement("SELECT \(SQLiteHubStorage.blockColumns) FROM blocks WHERE id = ?")
        for edge in edges where !points.knowsAll(edge.selection) {
            byRow.reset()
            try rows(byRow.bind(1, edge.row), into: &points, readingEdges: true)
        }
    }

    /// Adds the wanted series of the block at `statement`'s row (``SQLiteHubStorage/blockColumns``):
    /// their points kept from an earlier read, else decoded (``SQLiteHubStorage/decode(_:selection:_:)``)
    /// and kept once the scan is over; false when it does not decode.
    private mutating func read(_ statement: SQLiteStatement, node: String, selection: BlockSelection, into points: inout BlockPoints) -> Bool {
        let (block, tier) = (statement.int64(0), Int(statement.int64(2)))
        if let held = kept?.points(of: block, selection.positions, now: now) {
            points.add(node: node, tier: tier, selection: selection, decoded: held)
            return true
        }
        guard let read = SQLiteHubStorage.decode(statement, selection: selection, reads) else { return false }
        let series = BlockPoints.decoded(read, tier: tier, selection: selection)
        points.add(node: node, tier: tier, selection: selection, decoded: series)
        if kept != nil { decoded[block] = (selection.positions, series) }
        return true
    }

    /// Keeps the points of the blocks this scan decoded (``kept``), and when it met blocks not
    /// remembered, the selections of every block it met (``memo``).
    mutating func keep() {
        kept?.keep(decoded, now: now)
        decoded = [:]
        guard let memo, !made.isEmpty else { return }
        for block in met { made[block] = remembered[block] }
        memo.replace(with: made)
        (met, made) = ([], [:])
    }
}
