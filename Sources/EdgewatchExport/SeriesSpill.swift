import EdgewatchBundle
import EdgewatchEncoding
import EdgewatchSQLite

#if canImport(Glibc)
import Glibc
#endif

/// Turns the store's time-ordered blocks into series-ordered output with bounded memory: the
/// range is read one short time slice at a time and each series' points of the slice are kept,
/// Gorilla-compressed, in a scratch SQLite file; reading that back by `(series, slice)` gives each
/// series contiguous and in time order, as OpenMetrics requires.
final class SeriesSpill {
    private let database: SQLiteDatabase
    let path: String
    private var slice: Int64 = 0

    /// Creates the scratch file at `path` (removed by ``remove()``).
    init(path: String) throws(BundleError) {
        self.path = path
        do {
            database = try SQLiteDatabase(path: path)
            try database.execute(
                """
                PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -2048;
                CREATE TABLE spill(ordinal INTEGER NOT NULL, slice INTEGER NOT NULL, columns INTEGER NOT NULL, data BLOB NOT NULL,
                    PRIMARY KEY(ordinal, slice)) WITHOUT ROWID;
                """
            )
        } catch {
            throw BundleError.io(path: path, reason: "scratch database: \(error)")
        }
    }

    /// Keeps one slice: for each series (by output ordinal) its points in time order.
    func add(_ points: [Int: [(Int64, [Double])]]) throws(BundleError) {
        slice += 1
        do {
            try database.transaction { () throws(SQLiteError) in
                let insert = try database.statement("INSERT INTO spill(ordinal, slice, columns, data) VALUES (?, ?, ?, ?)")
                for (ordinal, list) in points where !list.isEmpty {
                    let columns = list[0].1.count
                    var values = [[Double]](repeating: [], count: columns)
                    for point in list {
                        for column in 0..<columns { values[column].append(column < point.1.count ? point.1[column] : .nan) }
                    }
                    var codec = BlockCodec()
                    let block = Block(timestamps: list.map(\.0), columns: columns, series: [BlockSeries(id: 0, present: nil, values: values)])
                    insert.bind(1, Int64(ordinal)).bind(2, slice).bind(3, Int64(columns)).bind(4, codec.encode(block))
                    try insert.run()
                    insert.reset()
                }
            }
        } catch {
            throw BundleError.io(path: path, reason: "scratch database: \(error)")
        }
    }

    /// Visits every series in ordinal order with all its points, one slice at a time.
    func forEach(_ visit: (_ ordinal: Int, _ timestamps: [Int64], _ columns: [[Double]]) throws(BundleError) -> Void) throws(BundleError) {
        do {
            let select = try database.statement("SELECT ordinal, data FROM spill ORDER BY ordinal, slice")
            while try select.step() {
                var codec = BlockCodec()
                let block: Block
                do {
                    block = try codec.decode(select.blob(1))
                } catch {
                    throw BundleError.io(path: path, reason: "scratch database: \(error)")
                }
                guard let series = block.series.first else { continue }
                try visit(Int(select.int64(0)), block.timestamps, series.values)
            }
        } catch let error as BundleError {
            throw error
        } catch {
            throw BundleError.io(path: path, reason: "scratch database: \(error)")
        }
    }

    /// Closes and deletes the scratch file.
    func remove() {
        database.close()
        unlink(path)
    }
}
