import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire

/// Finding a stored series by its label set in the database, so that the writer's ids and the
/// queries' labels are caches of what was used lately (``RecentEntries``), not every series the
/// hub ever held.
///
/// `series.key_hash` is not unique (a lookup compares the name and labels of the rows it finds):
/// its high 20 bits hash the node and the low 44 the whole label set, so a node's series sit
/// together in the index and a batch of new series adds to a few of its pages rather than to
/// pages all over it (a unique index on the label text had made creating series five times
/// slower).
extension HubDatabaseWriter {
    /// The `key_hash` of a series, by its labels with `__name__` and `node`.
    static func lookupKey(_ labels: Labels) -> Int64 {
        Int64(bitPattern: nodeBits(labels["node"] ?? "") | labels.fingerprint & labelBits)
    }

    /// The bits of a key below the node's.
    private static let labelBits: UInt64 = 1 << 44 - 1

    /// The high bits of the keys of `node`'s series.
    private static func nodeBits(_ node: String) -> UInt64 {
        Labels().adding("node", node).fingerprint & ~labelBits
    }

    /// The hub's ids of the request's series: remembered, or found stored (listed in `found`), or
    /// inserted (listed in `added`). The request brings each series' labels and digest.
    mutating func seriesIDs(
        _ request: HubIngestRequest,
        uncommitted: [SeriesDigest: Int64],
        found: inout [SeriesDigest: Int64],
        added: inout [(id: Int64, labels: Labels, key: SeriesDigest)]
    ) throws(SQLiteError) -> [Int64] {
        let batch = request.batch
        var seriesIDs: [Int64] = []
        seriesIDs.reserveCapacity(request.series.count)
        var missing: [Int] = []
        for (index, series) in request.series.enumerated() {
            let id = uncommitted[series.key] ?? found[series.key] ?? ids.value(for: series.key, now: request.receivedAt)
            if id == nil { missing.append(index) }
            seriesIDs.append(id ?? -1)
        }
        guard !missing.isEmpty else { return seriesIDs }
        // A few (a new pod's) are looked up one by one; many (a new node's, or one back after
        // hours away) in one read of the node's range.
        let stored = missing.count > Self.lookupsOneByOne ? try storedSeries(node: batch.node) : nil
        var new: [SeriesDigest: Int64] = [:]
        for index in missing {
            let (full, key) = request.series[index]
            if let id = new[key] {  // twice in the batch
                seriesIDs[index] = id
                continue
            }
            let info = batch.series[index]
            let encoded = SeriesKey(name: info.name, labels: info.labels.adding("node", batch.node), type: info.type).encodedLabels
            let lookup = Self.lookupKey(full)
            let storedID: Int64?
            if let stored {
                storedID = stored[Self.storedKey(name: info.name, encoded: encoded)]
            } else {
                storedID = try storedSeries(key: lookup, name: info.name, encoded: encoded)
            }
            if let id = storedID {
                found[key] = id
                seriesIDs[index] = id
                continue
            }
            try database.statement("INSERT INTO series(name, labels, type, key_hash) VALUES(?, ?, ?, ?)")
                .bind(1, info.name).bind(2, encoded).bind(3, Int64(info.type.code)).bind(4, lookup).run()
            let id = database.lastInsertRowID
            new[key] = id
            added.append((id, full, key))
            seriesIDs[index] = id
        }
        return seriesIDs
    }

    /// Up to this many series of a batch not remembered are looked up one by one.
    static let lookupsOneByOne = 16

    /// Adds `key_hash` and the indexes to a database made before them, filling in the keys of the
    /// series stored then in the same transaction (once, at the first start of this version).
    func addSeriesLookup() throws(SQLiteError) {
        if try !database.columns(of: "series").contains("key_hash") {
            try database.transaction { () throws(SQLiteError) in
                try database.execute("ALTER TABLE series ADD COLUMN key_hash INTEGER")
                let stored = try database.statement("SELECT id, name, labels FROM series")
                var keys: [(id: Int64, key: Int64)] = []
                while try stored.step() {
                    let labels = SeriesKey.decodeLabels(stored.string(2), name: stored.string(1))
                    keys.append((stored.int64(0), labels.map(Self.lookupKey) ?? 0))
                }
                stored.reset()
                let update = try database.statement("UPDATE series SET key_hash = ? WHERE id = ?")
                for (id, key) in keys { try update.bind(1, key).bind(2, id).run() }
            }
        }
        // `series_by_name` came and went the same day (``SeriesIDsByName`` says why).
        try database.execute("CREATE INDEX IF NOT EXISTS series_by_key ON series(key_hash); DROP INDEX IF EXISTS series_by_name")
    }

    /// Every stored series' id, by name.
    func seriesIDsByName() throws(SQLiteError) -> SeriesIDsByName {
        let statement = try database.statement("SELECT id, name FROM series ORDER BY id")
        defer { statement.reset() }
        var result = SeriesIDsByName()
        while try statement.step() { result.add(id: statement.int64(0), name: statement.string(1)) }
        return result
    }

    /// The id of the stored series named `name` with `encoded` labels whose key is `key`; nil when none.
    func storedSeries(key: Int64, name: String, encoded: String) throws(SQLiteError) -> Int64? {
        let statement = try database.statement("SELECT id FROM series WHERE key_hash = ? AND name = ? AND labels = ?")
        statement.bind(1, key).bind(2, name).bind(3, encoded)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : nil
    }

    /// The stored series whose keys have `node`'s high bits (the node's and the few of nodes that
    /// share them), by ``storedKey(name:encoded:)``: one range of the index, read once for a batch
    /// (none for a new node) rather than one lookup per series.
    func storedSeries(node: String) throws(SQLiteError) -> [String: Int64] {
        let low = Self.nodeBits(node)
        let statement = try database.statement("SELECT id, name, labels FROM series WHERE key_hash BETWEEN ? AND ?")
        statement.bind(1, Int64(bitPattern: low)).bind(2, Int64(bitPattern: low | Self.labelBits))
        defer { statement.reset() }
        var stored: [String: Int64] = [:]
        while try statement.step() { stored[Self.storedKey(name: statement.string(1), encoded: statement.string(2))] = statement.int64(0) }
        return stored
    }

    /// A series' entry in ``storedSeries(node:)``: its name and ``SeriesKey/encodedLabels``.
    static func storedKey(name: String, encoded: String) -> String {
        name + "\u{0}" + encoded
    }
}
