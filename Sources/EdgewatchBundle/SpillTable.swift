import EdgewatchEncoding
import EdgewatchSQLite

#if canImport(Glibc)
import Glibc
#endif

/// Re-orders points with bounded memory: chunks of one series' points go in, Gorilla-compressed,
/// under `(group, ordinal, slice)` in a scratch SQLite file, and come back ordered by that key.
/// Export reads the store slice by slice and gets each series contiguous (group 0, ordinal = series);
/// import files each series' points under their uplink window (group) and reads window by window.
public final class SpillTable {
    private let database: SQLiteDatabase
    public let path: String

    /// Creates the scratch file at `path` (deleted by ``remove()``).
    public init(path: String) throws(BundleError) {
        self.path = path
        do {
            database = try SQLiteDatabase(path: path)
            try database.execute(
                """
                PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048;
                CREATE TABLE spill(grp INTEGER NOT NULL, ordinal INTEGER NOT NULL, slice INTEGER NOT NULL, data BLOB NOT NULL,
                    PRIMARY KEY(grp, ordinal, slice)) WITHOUT ROWID;
                """
            )
        } catch {
            throw BundleError.io(path: path, reason: "scratch database: \(error)")
        }
    }

    /// Starts a transaction around many ``add(group:ordinal:slice:timestamps:columns:)`` calls.
    public func begin() throws(BundleError) { try run("BEGIN") }

    /// Commits what was added since ``begin()``.
    public func commit() throws(BundleError) { try run("COMMIT") }

    /// Keeps one chunk: timestamps in order and one array per column.
    public func add(group: Int64, ordinal: Int64, slice: Int64, timestamps: [Int64], columns: [[Double]]) throws(BundleError) {
        guard !timestamps.isEmpty else { return }
        var codec = BlockCodec()
        let block = Block(timestamps: timestamps, columns: columns.count, series: [BlockSeries(id: 0, present: nil, values: columns)])
        do {
            let insert = try database.statement("INSERT INTO spill(grp, ordinal, slice, data) VALUES (?, ?, ?, ?)")
            insert.bind(1, group).bind(2, ordinal).bind(3, slice).bind(4, codec.encode(block))
            defer { insert.reset() }
            try insert.run()
        } catch {
            throw BundleError.io(path: path, reason: "scratch database: \(error)")
        }
    }

    /// Visits every chunk in `(group, ordinal, slice)` order.
    public func forEach(
        _ visit: (_ group: Int64, _ ordinal: Int64, _ timestamps: [Int64], _ columns: [[Double]]) throws(BundleError) -> Void
    ) throws(BundleError) {
        let select: SQLiteStatement
        do {
            select = try database.statement("SELECT grp, ordinal, data FROM spill ORDER BY grp, ordinal, slice")
        } catch {
            throw BundleError.io(path: path, reason: "scratch database: \(error)")
        }
        defer { select.reset() }
        while try step(select) {
            var codec = BlockCodec()
            let block: Block
            do {
                block = try codec.decode(select.blob(2))
            } catch {
                throw BundleError.io(path: path, reason: "scratch database: \(error)")
            }
            guard let series = block.series.first else { continue }
            try visit(select.int64(0), select.int64(1), block.timestamps, series.values)
        }
    }

    /// Closes and deletes the scratch file.
    public func remove() {
        database.close()
        unlink(path)
    }

    private func step(_ statement: SQLiteStatement) throws(BundleError) -> Bool {
        do {
            return try statement.step()
        } catch {
            throw BundleError.io(path: path, reason: "scratch database: \(error)")
        }
    }

    private func run(_ sql: String) throws(BundleError) {
        do {
            try database.execute(sql)
        } catch {
            throw BundleError.io(path: path, reason: "scratch database: \(error)")
        }
    }
}
