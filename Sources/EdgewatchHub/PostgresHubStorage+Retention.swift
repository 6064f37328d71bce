import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres

extension PostgresHubStorage {
    /// One retention pass over every node; each step is a transaction holding the node's lock (the
    /// one its ingest takes), so replicas running passes at once never handle a period twice.
    public func retain(policy: RetentionPolicy, now: Int64, budget: Int) throws -> RetentionReport {
        let nodes = try pool.withConnection { connection throws(PostgresError) -> [String] in
            let rows = try connection.query("SELECT name FROM nodes ORDER BY name")
            return try (0..<rows.rowCount).map { row throws(PostgresError) in try rows.string(row, 0) }
        }
        return try HubRetention.pass(nodes: nodes, budget: budget) { node, tier throws(PostgresError) in
            try pool.withConnection { connection throws(PostgresError) -> HubRetention.Step? in
                try connection.transaction { connection throws(PostgresError) -> HubRetention.Step? in
                    try connection.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [.text(node)])
                    return try HubRetention.step(node: node, tier: tier, policy: policy, now: now, in: PostgresRetention(connection: connection))
                }
            }
        }
    }
}

/// Retention's operations on the shared PostgreSQL database.
struct PostgresRetention: RetentionTransaction {
    let connection: PostgresConnection

    func mark(node: String, tier: Tier) throws(PostgresError) -> Int64? {
        let rows = try connection.query("SELECT mark FROM retention_marks WHERE node = $1 AND tier = $2", [.text(node), .int(Int64(tier.rawValue))])
        return rows.rowCount == 0 ? nil : try rows.int(0, 0)
    }

    func setMark(node: String, tier: Tier, to mark: Int64) throws(PostgresError) {
        try connection.execute(
            "INSERT INTO retention_marks(node, tier, mark) VALUES ($1, $2, $3) ON CONFLICT (node, tier) DO UPDATE SET mark = excluded.mark",
            [.text(node), .int(Int64(tier.rawValue)), .int(mark)]
        )
    }

    func firstBlockStart(node: String, tier: Tier, endingFrom from: Int64) throws(PostgresError) -> Int64? {
        let rows = try connection.query(
            "SELECT min_ts FROM blocks WHERE node = $1 AND tier = $2 AND max_ts >= $3 ORDER BY max_ts LIMIT 1",
            [.text(node), .int(Int64(tier.rawValue)), .int(from)]
        )
        return rows.rowCount == 0 ? nil : try rows.int(0, 0)
    }

    func blocks(node: String, tier: Tier, from: Int64, to: Int64) throws(PostgresError) -> [(ids: [Int64], data: [UInt8])] {
        let rows = try connection.query(
            "SELECT series, data FROM blocks WHERE node = $1 AND tier = $2 AND max_ts >= $3 AND min_ts < $4 ORDER BY min_ts",
            [.text(node), .int(Int64(tier.rawValue)), .int(from), .int(to)]
        )
        return try (0..<rows.rowCount).map { row throws(PostgresError) in (try rows.intArray(row, 0), try rows.bytes(row, 1)) }
    }

    func hasBlocks(node: String, tier: Tier, from: Int64, to: Int64) throws(PostgresError) -> Bool {
        try connection.query(
            "SELECT 1 FROM blocks WHERE node = $1 AND tier = $2 AND max_ts >= $3 AND min_ts < $4 LIMIT 1",
            [.text(node), .int(Int64(tier.rawValue)), .int(from), .int(to)]
        ).rowCount > 0
    }

    func counters(_ ids: [Int64]) throws(PostgresError) -> Set<Int64> {
        let rows = try connection.query(
            "SELECT id FROM series WHERE id = ANY($1) AND type = $2",
            [.intArray(ids), .int(Int64(MetricType.counter.code))]
        )
        return Set(try (0..<rows.rowCount).map { row throws(PostgresError) in try rows.int(row, 0) })
    }

    func insert(node: String, tier: Tier, ids: [Int64], block: Block) throws(PostgresError) {
        guard let first = block.timestamps.first, let last = block.timestamps.last else { return }
        var codec = BlockCodec()
        try connection.execute(
            "INSERT INTO blocks(node, tier, min_ts, max_ts, series, data) VALUES ($1, $2, $3, $4, $5, $6)",
            [.text(node), .int(Int64(tier.rawValue)), .int(first), .int(last), .intArray(ids), .bytes(codec.encode(block))]
        )
    }

    func deleteBlocks(node: String, tier: Tier, endingBefore before: Int64) throws(PostgresError) -> Int {
        try connection.execute(
            "DELETE FROM remote_write_queue WHERE block IN (SELECT id FROM blocks WHERE node = $1 AND tier = $2 AND max_ts < $3)",
            [.text(node), .int(Int64(tier.rawValue)), .int(before)]
        )
        return try connection.execute(
            "DELETE FROM blocks WHERE node = $1 AND tier = $2 AND max_ts < $3",
            [.text(node), .int(Int64(tier.rawValue)), .int(before)]
        )
    }
}
