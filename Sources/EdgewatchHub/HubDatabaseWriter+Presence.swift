import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

/// The ``SeriesPresence`` rows: one per hour, node and distinct list of series (sorted ids as
/// delta varints, keyed by their digest), added in each batch's transaction.
extension HubDatabaseWriter {
    static let presenceSchema = """
        CREATE TABLE series_presence(hour INTEGER NOT NULL, node TEXT NOT NULL, digest BLOB NOT NULL, min_ts INTEGER NOT NULL,
            max_ts INTEGER NOT NULL, series BLOB NOT NULL, gap INTEGER, dense INTEGER NOT NULL DEFAULT 0, content BLOB,
            UNIQUE(hour, node, digest));
        """

    /// Creates the table once. Blocks stored before it have no rows, so the presence mark
    /// (``SeriesPresence/sinceKind``) is set past the last of them: a window starting after it is
    /// wholly summarised, an earlier one is listed from its blocks as before.
    func addPresence() throws(SQLiteError) {
        let columns = try database.columns(of: "series_presence")
        // Rows stored before the gap was kept have none: not known (``SeriesPresence/Row/gap``).
        if !columns.isEmpty, !columns.contains("gap") { try database.execute("ALTER TABLE series_presence ADD COLUMN gap INTEGER") }
        // And are not known to be dense (``SeriesPresence/Row/dense``).
        if !columns.isEmpty, !columns.contains("dense") {
            try database.execute("ALTER TABLE series_presence ADD COLUMN dense INTEGER NOT NULL DEFAULT 0")
        }
        // Nor is what their series are labelled (``SeriesPresence/Row/content``).
        if !columns.isEmpty, !columns.contains("content") { try database.execute("ALTER TABLE series_presence ADD COLUMN content BLOB") }
        guard columns.isEmpty else { return }
        try database.transaction { () throws(SQLiteError) in
            try database.execute(Self.presenceSchema)
            try database.statement(
                """
                INSERT OR REPLACE INTO maintenance_marks(node, kind, mark)
                SELECT '', ?, coalesce(max(max_ts) + 1, -9223372036854775807 - 1) FROM blocks
                """
            ).bind(1, SeriesPresence.sinceKind).run()
        }
    }

    /// Adds a stored block's rows, or widens the span of those stored with the same lists.
    /// `table`: the hash of the batch's series table (``PresenceContentDigest``).
    func recordPresence(node: String, block: Block, ids: [Int64], table: [UInt8]?) throws(SQLiteError) {
        for row in SeriesPresence.rows(of: block, ids: ids, table: table) { try database.recordPresence(node: node, row: row) }
    }
}

extension SQLiteDatabase {
    /// Adds a node's presence row, or widens the span of the one stored with the same list (at
    /// ingest, and for upkeep's merged row), its gap then the longest of the two and of the space
    /// between their spans (``SeriesPresence/gap(of:)``; a multi-argument `max` is NULL, not known,
    /// when either gap is), and dense while both are (the same series, each at all their times).
    /// Its content digest is kept when it has one: the same list has the same labels, whichever
    /// table named it.
    func recordPresence(node: String, row: SeriesPresence.Row) throws(SQLiteError) {
        let statement = try statement(
            """
            INSERT INTO series_presence(hour, node, digest, min_ts, max_ts, series, gap, dense, content) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(hour, node, digest) DO UPDATE SET min_ts = min(min_ts, excluded.min_ts), max_ts = max(max_ts, excluded.max_ts),
                gap = max(gap, excluded.gap, excluded.min_ts - max_ts, min_ts - excluded.max_ts), dense = min(dense, excluded.dense),
                content = coalesce(content, excluded.content)
            """
        )
        statement.bind(1, row.hour).bind(2, node).bind(3, SeriesListDigest.of(row.ids)).bind(4, row.minTS).bind(5, row.maxTS)
            .bind(6, SeriesPresence.encode(row.ids)).bind(8, Int64(row.dense ? 1 : 0))
        if let gap = row.gap { statement.bind(7, gap) } else { statement.bindNull(7) }
        if let content = row.content { statement.bind(9, content) } else { statement.bindNull(9) }
        try statement.run()
    }
}
