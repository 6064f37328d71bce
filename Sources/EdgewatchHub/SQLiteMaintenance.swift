import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

/// Upkeep's operations on the hub's SQLite database.
struct SQLiteMaintenance: HubMaintenance {
    let database: SQLiteDatabase
    /// The ids of the blocks it stores (the writer's).
    let blockIDs: BlockIDSequence

    func mark(node: String, kind: String) throws(SQLiteError) -> Int64? {
        let statement = try database.statement("SELECT mark FROM maintenance_marks WHERE node = ? AND kind = ?")
        statement.bind(1, node).bind(2, kind)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : nil
    }

    func setMark(node: String, kind: String, to mark: Int64) throws(SQLiteError) {
        try database.statement("INSERT OR REPLACE INTO maintenance_marks(node, kind, mark) VALUES(?, ?, ?)").bind(1, node).bind(2, kind).bind(3, mark)
            .run()
    }

    func firstBlockStart(node: String, tier: Tier, endingFrom from: Int64, of kind: StoredBlockKind) throws(SQLiteError) -> Int64? {
        let statement = try database.statement(
            "SELECT min_ts FROM blocks WHERE node = ?1 AND tier = ?2 AND max_ts >= ?3 AND (?4 = 0 OR (name = '') = (?4 = 1)) ORDER BY max_ts LIMIT 1"
        )
        statement.bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, from).bind(4, kind.rawValue)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : nil
    }

    func lateBatch(node: String, tier: Tier, endingBefore before: Int64, after: Int64) throws(SQLiteError) -> (id: Int64, start: Int64)? {
        let statement = try database.statement(
            """
            SELECT id, min_ts FROM blocks WHERE node = ? AND tier = ? AND name = '' AND max_ts < ? AND id > ?
                AND id NOT IN (SELECT block FROM compaction_deferred) ORDER BY id LIMIT 1
            """
        )
        statement.bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, before).bind(4, after)
        defer { statement.reset() }
        return try statement.step() ? (statement.int64(0), statement.int64(1)) : nil
    }

    func blocks(node: String, tier: Tier, from: Int64, to: Int64, of kind: StoredBlockKind, contents: Bool) throws(SQLiteError) -> [StoredSpan] {
        let statement = try database.statement(
            """
            SELECT id, min_ts, max_ts, CASE WHEN ?6 THEN series ELSE x'' END, CASE WHEN ?6 THEN data ELSE x'' END FROM blocks WHERE node = ?1 AND tier = ?2 AND max_ts >= ?3 AND min_ts < ?4
                AND (?5 = 0 OR (name = '') = (?5 = 1)) ORDER BY min_ts
            """
        )
        statement.bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, from).bind(4, to).bind(5, kind.rawValue).bind(6, Int64(contents ? 1 : 0))
        defer { statement.reset() }
        var result: [StoredSpan] = []
        while try statement.step() {
            result.append(
                StoredSpan(
                    id: statement.int64(0),
                    minTimestamp: statement.int64(1),
                    maxTimestamp: statement.int64(2),
                    ids: Varint.decodeAll(statement.blob(3)).map { Int64($0) },
                    data: statement.blob(4)
                )
            )
        }
        return result
    }

    func hasBlocks(node: String, tier: Tier, from: Int64, to: Int64) throws(SQLiteError) -> Bool {
        let statement = try database.statement("SELECT 1 FROM blocks WHERE node = ? AND tier = ? AND max_ts >= ? AND min_ts < ? LIMIT 1")
        statement.bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, from).bind(4, to)
        defer { statement.reset() }
        return try statement.step()
    }

    func describe(_ ids: [Int64]) throws(SQLiteError) -> (names: [Int64: String], counters: Set<Int64>) {
        var names: [Int64: String] = [:]
        var counters = Set<Int64>()
        let statement = try database.statement("SELECT name, type FROM series WHERE id = ?")
        for id in ids {
            statement.bind(1, id)
            if try statement.step() {
                names[id] = statement.string(0)
                if statement.int64(1) == Int64(MetricType.counter.code) { counters.insert(id) }
            }
            statement.reset()
        }
        return (names, counters)
    }

    func queued(_ blocks: [Int64]) throws(SQLiteError) -> Set<Int64> {
        let statement = try database.statement("SELECT 1 FROM remote_write_queue WHERE block = ? LIMIT 1")
        var result = Set<Int64>()
        for block in blocks {
            statement.bind(1, block)
            defer { statement.reset() }
            if try statement.step() { result.insert(block) }
        }
        return result
    }

    func deferCompaction(node: String, tier: Tier, blocks: [Int64]) throws(SQLiteError) {
        let statement = try database.statement("INSERT OR IGNORE INTO compaction_deferred(block, node, tier) VALUES(?, ?, ?)")
        for block in blocks { try statement.bind(1, block).bind(2, node).bind(3, Int64(tier.rawValue)).run() }
    }

    func nextDeferred(node: String, tier: Tier) throws(SQLiteError) -> (id: Int64, start: Int64)? {
        let statement = try database.statement(
            """
            SELECT d.block, b.min_ts FROM compaction_deferred d JOIN blocks b ON b.id = d.block WHERE d.node = ? AND d.tier = ?
                AND NOT EXISTS (SELECT 1 FROM remote_write_queue q WHERE q.block = d.block) ORDER BY d.block LIMIT 1
            """
        )
        statement.bind(1, node).bind(2, Int64(tier.rawValue))
        defer { statement.reset() }
        return try statement.step() ? (statement.int64(0), statement.int64(1)) : nil
    }

    func undefer(_ blocks: [Int64]) throws(SQLiteError) {
        let statement = try database.statement("DELETE FROM compaction_deferred WHERE block = ?")
        for block in blocks { try statement.bind(1, block).run() }
    }

    func insert(node: String, tier: Tier, name: String, ids: [Int64], block: Block) throws(SQLiteError) {
        guard let first = block.timestamps.first, let last = block.timestamps.last else { return }
        let mapping = Varint.encodeAll(ids.lazy.map { UInt64($0) })
        var codec = BlockCodec()
        let insert = "INSERT INTO blocks(node, tier, min_ts, max_ts, series, data, name, id) VALUES(?, ?, ?, ?, ?, ?, ?, \(BlockIDSequence.id(8)))"
        try database.statement(insert)
            .bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, first).bind(4, last).bind(5, mapping).bind(6, codec.encode(block))
            .bind(7, name).bind(8, blockIDs.next).run()
        blockIDs.given(database.lastInsertRowID)
    }

    func delete(_ blocks: [Int64]) throws(SQLiteError) -> Int {
        for block in blocks { try database.statement("DELETE FROM blocks WHERE id = ?").bind(1, block).run() }
        try undefer(blocks)
        return blocks.count
    }

    func deleteBlocks(node: String, tier: Tier, endingBefore before: Int64, at now: Int64) throws(SQLiteError) -> (deleted: Int, expired: Int) {
        let doomed = "SELECT id FROM blocks WHERE node = ? AND tier = ? AND max_ts < ?"
        let (node, tier) = (node, Int64(tier.rawValue))
        try database.statement(
            """
            INSERT OR REPLACE INTO remote_write_refused(target, block, at, status, reason)
                SELECT target, block, ?, 0, ? FROM remote_write_queue WHERE block IN (\(doomed))
            """
        ).bind(1, now).bind(2, HubMaintenancePass.expiredReason).bind(3, node).bind(4, tier).bind(5, before).run()
        let expired = database.changes
        try database.statement("DELETE FROM remote_write_queue WHERE block IN (\(doomed))").bind(1, node).bind(2, tier).bind(3, before).run()
        try database.statement("DELETE FROM compaction_deferred WHERE block IN (\(doomed))").bind(1, node).bind(2, tier).bind(3, before).run()
        // Listings past this mark no longer read the rows before it (``SeriesPresence``).
        try database.statement("DELETE FROM series_presence WHERE hour < ?1 AND node = ?2 AND max_ts < ?1").bind(1, before).bind(2, node).run()
        try database.statement("DELETE FROM blocks WHERE node = ? AND tier = ? AND max_ts < ?").bind(1, node).bind(2, tier).bind(3, before).run()
        return (database.changes, expired)
    }

    func presence(node: String, hour: Int64) throws(SQLiteError) -> [SeriesPresence.Row?] {
        let statement = try database.statement("SELECT min_ts, max_ts, series, gap FROM series_presence WHERE hour = ? AND node = ?")
        statement.bind(1, hour).bind(2, node)
        defer { statement.reset() }
        var rows: [SeriesPresence.Row?] = []
        while try statement.step() {
            rows.append(
                statement.withBlob(2) { SeriesPresence.decode($0) }.map {
                    SeriesPresence.Row(
                        hour: hour,
                        minTS: statement.int64(0),
                        maxTS: statement.int64(1),
                        ids: $0,
                        gap: statement.isNull(3) ? nil : statement.int64(3)
                    )
                }
            )
        }
        return rows
    }

    func replacePresence(node: String, with row: SeriesPresence.Row) throws(SQLiteError) {
        try database.statement("DELETE FROM series_presence WHERE hour = ? AND node = ?").bind(1, row.hour).bind(2, node).run()
        try database.recordPresence(node: node, row: row)
    }
}
