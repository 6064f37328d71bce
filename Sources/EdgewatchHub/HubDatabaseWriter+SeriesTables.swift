import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire

/// Series tables a node's batches may name by hash instead of carrying (format 4): the last few
/// tables each node sent inline, zlib-compressed. A table not kept is asked for again (409).
extension HubDatabaseWriter {
    /// Tables kept per node; the oldest stored goes first.
    static let seriesTablesPerNode = 8

    static let seriesTableSchema = """
        CREATE TABLE IF NOT EXISTS series_tables(node TEXT NOT NULL, hash BLOB NOT NULL, data BLOB NOT NULL,
            stored_at INTEGER NOT NULL, PRIMARY KEY(node, hash)) WITHOUT ROWID;
        """

    /// The inline form of the table `node` sent with this SHA-256, nil when not kept.
    func seriesTable(node: String, hash: [UInt8]) throws(SQLiteError) -> [UInt8]? {
        let statement = try database.statement("SELECT data FROM series_tables WHERE node = ? AND hash = ?")
        statement.bind(1, node).bind(2, hash)
        defer { statement.reset() }
        guard try statement.step() else { return nil }
        return try? Zlib.decompress(statement.blob(0), limit: 64 << 20)
    }

    /// Keeps `table` (inline form) under its hash for `node`, dropping the node's oldest beyond the limit.
    func keepSeriesTable(node: String, hash: [UInt8], table: [UInt8], at time: Int64) throws(SQLiteError) {
        try database.transaction { () throws(SQLiteError) in
            try database.statement(
                """
                INSERT INTO series_tables(node, hash, data, stored_at) VALUES(?, ?, ?, ?)
                ON CONFLICT(node, hash) DO UPDATE SET data = excluded.data, stored_at = excluded.stored_at
                """
            ).bind(1, node).bind(2, hash).bind(3, Zlib.compress(table)).bind(4, time).run()
            try database.statement(
                """
                DELETE FROM series_tables WHERE node = ?1 AND hash NOT IN
                    (SELECT hash FROM series_tables WHERE node = ?1 ORDER BY stored_at DESC, hash LIMIT ?2)
                """
            ).bind(1, node).bind(2, Int64(Self.seriesTablesPerNode)).run()
        }
    }
}
