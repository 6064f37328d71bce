import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

extension HubDatabaseWriter {
    /// Retention's marks per node and tier, and the index its steps read blocks by.
    static let retentionSchema = """
        CREATE TABLE IF NOT EXISTS retention_marks(node TEXT NOT NULL, tier INTEGER NOT NULL, mark INTEGER NOT NULL,
            PRIMARY KEY(node, tier)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS blocks_by_node ON blocks(node, tier, max_ts);
        """

    /// One retention step for a node's tier, in its own transaction.
    func retain(node: String, tier: Tier, policy: RetentionPolicy, now: Int64) throws(SQLiteError) -> HubRetention.Step? {
        try database.transaction { () throws(SQLiteError) in
            try HubRetention.step(node: node, tier: tier, policy: policy, now: now, in: SQLiteRetention(database: database))
        }
    }
}

extension SQLiteDatabase {
    /// Retention's marks: node → tier → the time before which the tier's samples are gone.
    func retentionMarks() throws(SQLiteError) -> [String: [Int: Int64]] {
        var floors: [String: [Int: Int64]] = [:]
        let statement = try statement("SELECT node, tier, mark FROM retention_marks")
        defer { statement.reset() }
        while try statement.step() { floors[statement.string(0), default: [:]][Int(statement.int64(1))] = statement.int64(2) }
        return floors
    }

    /// Every node's name.
    func nodeNames() throws(SQLiteError) -> [String] {
        var nodes: [String] = []
        let statement = try statement("SELECT name FROM nodes ORDER BY name")
        defer { statement.reset() }
        while try statement.step() { nodes.append(statement.string(0)) }
        return nodes
    }
}

/// Retention's operations on the hub's SQLite database.
struct SQLiteRetention: RetentionTransaction {
    let database: SQLiteDatabase

    func mark(node: String, tier: Tier) throws(SQLiteError) -> Int64? {
        let statement = try database.statement("SELECT mark FROM retention_marks WHERE node = ? AND tier = ?")
        statement.bind(1, node).bind(2, Int64(tier.rawValue))
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : nil
    }

    func setMark(node: String, tier: Tier, to mark: Int64) throws(SQLiteError) {
        try database.statement("INSERT OR REPLACE INTO retention_marks(node, tier, mark) VALUES(?, ?, ?)")
            .bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, mark).run()
    }

    func firstBlockStart(node: String, tier: Tier, endingFrom from: Int64) throws(SQLiteError) -> Int64? {
        let statement = try database.statement(
            "SELECT min_ts FROM blocks WHERE node = ? AND tier = ? AND max_ts >= ? ORDER BY max_ts LIMIT 1"
        )
        statement.bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, from)
        defer { statement.reset() }
        return try statement.step() ? statement.int64(0) : nil
    }

    func blocks(node: String, tier: Tier, from: Int64, to: Int64) throws(SQLiteError) -> [(ids: [Int64], data: [UInt8])] {
        let statement = try database.statement(
            "SELECT series, data FROM blocks WHERE node = ? AND tier = ? AND max_ts >= ? AND min_ts < ? ORDER BY min_ts"
        )
        statement.bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, from).bind(4, to)
        defer { statement.reset() }
        var result: [(ids: [Int64], data: [UInt8])] = []
        while try statement.step() { result.append((Varint.decodeAll(statement.blob(0)).map { Int64($0) }, statement.blob(1))) }
        return result
    }

    func hasBlocks(node: String, tier: Tier, from: Int64, to: Int64) throws(SQLiteError) -> Bool {
        let statement = try database.statement("SELECT 1 FROM blocks WHERE node = ? AND tier = ? AND max_ts >= ? AND min_ts < ? LIMIT 1")
        statement.bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, from).bind(4, to)
        defer { statement.reset() }
        return try statement.step()
    }

    func counters(_ ids: [Int64]) throws(SQLiteError) -> Set<Int64> {
        var result: Set<Int64> = []
        let statement = try database.statement("SELECT type FROM series WHERE id = ?")
        for id in ids {
            statement.bind(1, id)
            if try statement.step(), statement.int64(0) == Int64(MetricType.counter.code) { result.insert(id) }
            statement.reset()
        }
        return result
    }

    func insert(node: String, tier: Tier, ids: [Int64], block: Block) throws(SQLiteError) {
        guard let first = block.timestamps.first, let last = block.timestamps.last else { return }
        var mapping: [UInt8] = []
        for id in ids { Varint.append(UInt64(id), to: &mapping) }
        var codec = BlockCodec()
        try database.statement("INSERT INTO blocks(node, tier, min_ts, max_ts, series, data) VALUES(?, ?, ?, ?, ?, ?)")
            .bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, first).bind(4, last).bind(5, mapping).bind(6, codec.encode(block)).run()
    }

    func deleteBlocks(node: String, tier: Tier, endingBefore before: Int64) throws(SQLiteError) -> Int {
        try database.statement(
            "DELETE FROM remote_write_queue WHERE block IN (SELECT id FROM blocks WHERE node = ? AND tier = ? AND max_ts < ?)"
        ).bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, before).run()
        try database.statement("DELETE FROM blocks WHERE node = ? AND tier = ? AND max_ts < ?")
            .bind(1, node).bind(2, Int64(tier.rawValue)).bind(3, before).run()
        return database.changes
    }
}
