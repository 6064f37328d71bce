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
    /// Blocks that did not decode.
    private(set) var damaged = 0
    /// A listing's blocks reaching past the window's edges, by row.
    private var edges: [(row: Int64, selection: BlockSelection)] = []
    /// The points of the blocks decoded in this scan, kept once it is over (``keep()``).
    private var decoded: [Int64: (positions: [Int], points: [[Point]])] = [:]

    init(nodes: Set<String>, labelsOnly: Bool, reads: SQLiteBlockReads, kept: SQLiteBlockPoints? = nil, now: Int64 = 0) {
        self.nodes = nodes
        self.labelsOnly = labelsOnly
        self.reads = reads
        self.kept = kept
        self.now = now
    }

    /// Steps through `statement`'s rows; a listing stops (and resets it) once every wanted series is known.
    mutating func step(_ statement: SQLiteStatement, into points: inout BlockPoints, readingEdges: Bool = false) throws(SQLiteError) {
        defer { reads.close() }
        while try statement.step() {
            let node = statement.string(1)
            guard nodes.contains(node) else { continue }
            // The series list is read where SQLite holds it, not copied.
            guard let selection = statement.withBlob(3, { points.selection(node: node, encodedIDs: $0) }) else { continue }
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

    /// Reads the edge blocks whose series no block inside the window told of.
    mutating func readEdges(into points: inout BlockPoints, _ reader: SQLiteDatabase) throws(SQLiteError) {
        let byRow = try reader.statement("SELECT \(SQLiteHubStorage.blockColumns) FROM blocks WHERE id = ?")
        for edge in edges where !points.knowsAll(edge.selection) {
            byRow.reset()
            try step(byRow.bind(1, edge.row), into: &points, readingEdges: true)
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

    /// Keeps the points of the blocks this scan decoded (``kept``).
    mutating func keep() {
        kept?.keep(decoded, now: now)
        decoded = [:]
    }
}
