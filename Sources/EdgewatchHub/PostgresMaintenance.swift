import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres

/// Upkeep's operations on the shared PostgreSQL database.
struct PostgresMaintenance: HubMaintenance {
    let connection: PostgresConnection

    func mark(node: String, kind: String) throws(PostgresError) -> Int64? {
        let rows = try connection.query("SELECT mark FROM maintenance_marks WHERE node = $1 AND kind = $2", [.text(node), .text(kind)])
        return rows.rowCount == 0 ? nil : try rows.int(0, 0)
    }

    func setMark(node: String, kind: String, to mark: Int64) throws(PostgresError) {
        try connection.execute(
            "INSERT INTO maintenance_marks(node, kind, mark) VALUES ($1, $2, $3) ON CONFLICT (node, kind) DO UPDATE SET mark = excluded.mark",
            [.text(node), .text(kind), .int(mark)]
        )
    }

    func firstBlockStart(node: String, tier: Tier, endingFrom from: Int64, of kind: StoredBlockKind) throws(PostgresError) -> Int64? {
        let rows = try connection.query(
            "SELECT min_ts FROM blocks WHERE node = $1 AND tier = $2 AND max_ts >= $3 AND ($4 = 0 OR (name = '') = ($4 = 1)) ORDER BY max_ts LIMIT 1",
            [.text(node), .int(Int64(tier.rawValue)), .int(from), .int(kind.rawValue)]
        )
        return rows.rowCount == 0 ? nil : try rows.int(0, 0)
    }

    func lateBatch(node: String, tier: Tier, endingBefore before: Int64, after: Int64) throws(PostgresError) -> (id: Int64, start: Int64)? {
        let rows = try connection.query(
            """
            SELECT id, min_ts FROM blocks WHERE node = $1 AND tier = $2 AND name = '' AND max_ts < $3 AND id > $4
                AND NOT EXISTS (SELECT 1 FROM compaction_deferred d WHERE d.block = blocks.id) ORDER BY id LIMIT 1
            """,
            [.text(node), .int(Int64(tier.rawValue)), .int(before), .int(after)]
        )
        return rows.rowCount == 0 ? nil : (try rows.int(0, 0), try rows.int(0, 1))
    }

    func blocks(node: String, tier: Tier, from: Int64, to: Int64, of kind: StoredBlockKind, contents: Bool) throws(PostgresError) -> [StoredSpan] {
        let rows = try connection.query(
            """
            SELECT id, min_ts, max_ts, CASE WHEN $6 THEN series ELSE '{}' END, CASE WHEN $6 THEN data ELSE '' END FROM blocks WHERE node = $1 AND tier = $2 AND max_ts >= $3 AND min_ts < $4
                AND ($5 = 0 OR (name = '') = ($5 = 1)) ORDER BY min_ts
            """,
            [.text(node), .int(Int64(tier.rawValue)), .int(from), .int(to), .int(kind.rawValue), .bool(contents)]
        )
        return try (0..<rows.rowCount).map { row throws(PostgresError) in
            StoredSpan(
                id: try rows.int(row, 0),
                minTimestamp: try rows.int(row, 1),
                maxTimestamp: try rows.int(row, 2),
                ids: try rows.intArray(row, 3),
                data: try rows.bytes(row, 4)
            )
        }
    }

    func hasBlocks(node: String, tier: Tier, from: Int64, to: Int64) throws(PostgresError) -> Bool {
        try connection.query(
            "SELECT 1 FROM blocks WHERE node = $1 AND tier = $2 AND max_ts >= $3 AND min_ts < $4 LIMIT 1",
            [.text(node), .int(Int64(tier.rawValue)), .int(from), .int(to)]
        ).rowCount > 0
    }

    func describe(_ ids: [Int64]) throws(PostgresError) -> (names: [Int64: String], counters: Set<Int64>) {
        let rows = try connection.query("SELECT id, name, type FROM series WHERE id = ANY($1)", [.intArray(ids)])
        var names: [Int64: String] = [:]
        var counters = Set<Int64>()
        for row in 0..<rows.rowCount {
            let id = try rows.int(row, 0)
            names[id] = try rows.string(row, 1)
            if try rows.int(row, 2) == Int64(MetricType.counter.code) { counters.insert(id) }
        }
        return (names, counters)
    }

    func queued(_ blocks: [Int64]) throws(PostgresError) -> Set<Int64> {
        let rows = try connection.query("SELECT DISTINCT block FROM remote_write_queue WHERE block = ANY($1)", [.intArray(blocks)])
        return Set(try (0..<rows.rowCount).map { row throws(PostgresError) in try rows.int(row, 0) })
    }

    func deferCompaction(node: String, tier: Tier, blocks: [Int64]) throws(PostgresError) {
        try connection.execute(
            "INSERT INTO compaction_deferred(block, node, tier) SELECT unnest($1::int8[]), $2, $3 ON CONFLICT DO NOTHING",
            [.intArray(blocks), .text(node), .int(Int64(tier.rawValue))]
        )
    }

    func nextDeferred(node: String, tier: Tier) throws(PostgresError) -> (id: Int64, start: Int64)? {
        let rows = try connection.query(
            """
            SELECT d.block, b.min_ts FROM compaction_deferred d JOIN blocks b ON b.id = d.block WHERE d.node = $1 AND d.tier = $2
                AND NOT EXISTS (SELECT 1 FROM remote_write_queue q WHERE q.block = d.block) ORDER BY d.block LIMIT 1
            """,
            [.text(node), .int(Int64(tier.rawValue))]
        )
        return rows.rowCount == 0 ? nil : (try rows.int(0, 0), try rows.int(0, 1))
    }

    func undefer(_ blocks: [Int64]) throws(PostgresError) {
        try connection.execute("DELETE FROM compaction_deferred WHERE block = ANY($1)", [.intArray(blocks)])
    }

    func insert(node: String, tier: Tier, name: String, ids: [Int64], block: Block) throws(PostgresError) {
        guard let first = block.timestamps.first, let last = block.timestamps.last else { return }
        var codec = BlockCodec()
        try connection.execute(
            "INSERT INTO blocks(node, tier, min_ts, max_ts, series, data, name, series_digest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [
                .text(node), .int(Int64(tier.rawValue)), .int(first), .int(last), .intArray(ids), .bytes(codec.encode(block)), .text(name),
                .bytes(SeriesListDigest.of(ids)),
            ]
        )
    }

    func delete(_ blocks: [Int64]) throws(PostgresError) -> Int {
        try undefer(blocks)
        return try connection.execute("DELETE FROM blocks WHERE id = ANY($1)", [.intArray(blocks)])
    }

    func deleteBlocks(node: String, tier: Tier, endingBefore before: Int64, at now: Int64) throws(PostgresError) -> (deleted: Int, expired: Int) {
        let doomed = "SELECT id FROM blocks WHERE node = $1 AND tier = $2 AND max_ts < $3"
        let span: [PostgresValue] = [.text(node), .int(Int64(tier.rawValue)), .int(before)]
        let expired = try connection.execute(
            """
            INSERT INTO remote_write_refused(target, block, at, status, reason) SELECT target, block, $4, 0, $5 FROM remote_write_queue
                WHERE block IN (\(doomed))
            ON CONFLICT (target, block) DO UPDATE SET at = excluded.at, status = excluded.status, reason = excluded.reason
            """,
            span + [.int(now), .text(HubMaintenancePass.expiredReason)]
        )
        try connection.execute("DELETE FROM remote_write_queue WHERE block IN (\(doomed))", span)
        try connection.execute("DELETE FROM compaction_deferred WHERE block IN (\(doomed))", span)
        // Listings past this mark no longer read the rows before it (``SeriesPresence``).
        try connection.execute("DELETE FROM series_presence WHERE hour < $2 AND node = $1 AND max_ts < $2", [.text(node), .int(before)])
        return (try connection.execute("DELETE FROM blocks WHERE node = $1 AND tier = $2 AND max_ts < $3", span), expired)
    }

    func presence(node: String, hour: Int64) throws(PostgresError) -> [SeriesPresence.Row?] {
        let rows = try connection.query(
            "SELECT min_ts, max_ts, series, gap FROM series_presence WHERE hour = $1 AND node = $2",
            [.int(hour), .text(node)]
        )
        var result: [SeriesPresence.Row?] = []
        for row in 0..<rows.rowCount {
            let (minTS, maxTS) = (try rows.int(row, 0), try rows.int(row, 1))
            let gap = rows.isNull(row, 3) ? nil : try rows.int(row, 3)
            let ids = try rows.bytes(row, 2).withUnsafeBytes { SeriesPresence.decode($0) }
            result.append(ids.map { SeriesPresence.Row(hour: hour, minTS: minTS, maxTS: maxTS, ids: $0, gap: gap) })
        }
        return result
    }

    func replacePresence(node: String, with row: SeriesPresence.Row) throws(PostgresError) {
        try connection.execute("DELETE FROM series_presence WHERE hour = $1 AND node = $2", [.int(row.hour), .text(node)])
        try PostgresHubStorage.recordPresence(node: node, rows: [row], connection)
        // Replicas holding the rows forget them (``PresenceMirror``).
        try connection.execute("UPDATE nodes SET presence_epoch = presence_epoch + 1 WHERE name = $1", [.text(node)])
    }
}
