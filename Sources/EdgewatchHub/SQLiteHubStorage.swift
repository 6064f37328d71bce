import EdgewatchCore
import EdgewatchPromQL
import EdgewatchStore
import EdgewatchUplink
import Synchronization

/// The embedded default: one SQLite database in WAL mode with `synchronous=FULL`, so a batch
/// answered 2xx survives a crash or power cut. Every series gets a `node` label.
///
/// A batch's samples are kept as its compressed block (one row per batch, with the hub's ids of
/// its series), so ingest costs one insert per batch; queries decode the blocks they touch.
/// Batches are idempotent by `(node, stream, sequence)` and windows never overlap within a
/// stream, so a sample is stored once.
public final class SQLiteHubStorage: HubStorage, @unchecked Sendable {
    // The writing connection, used under `lock`; queries use their own read-only connection
    // under `readLock`, so a long query never holds up ingest (WAL readers do not block the writer).
    private let database: SQLiteDatabase
    private let lock = Mutex(())
    private let reader: SQLiteDatabase
    private let readLock = Mutex(())
    /// Series known to the database: id and labels (with `__name__` and `node`); loaded at open,
    /// extended after each commit that added series.
    private let catalog = Mutex<[(id: Int64, labels: Labels)]>([])
    /// Series ids by label set (writer side, under `lock`).
    private var ids: [Labels: Int64] = [:]

    static let schema = """
        CREATE TABLE IF NOT EXISTS nodes(name TEXT PRIMARY KEY, secret_hash TEXT NOT NULL, first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL, last_sample_ts INTEGER NOT NULL DEFAULT 0, batches INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0, samples INTEGER NOT NULL DEFAULT 0, gaps INTEGER NOT NULL DEFAULT 0,
            clock_events INTEGER NOT NULL DEFAULT 0, downgraded INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE IF NOT EXISTS batches(node TEXT NOT NULL, stream TEXT NOT NULL, sequence INTEGER NOT NULL,
            received_at INTEGER NOT NULL, samples INTEGER NOT NULL, tier INTEGER NOT NULL, downgraded_from INTEGER,
            PRIMARY KEY(node, stream, sequence)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS series(id INTEGER PRIMARY KEY, name TEXT NOT NULL, labels TEXT NOT NULL, type INTEGER NOT NULL,
            UNIQUE(name, labels));
        CREATE TABLE IF NOT EXISTS blocks(id INTEGER PRIMARY KEY, node TEXT NOT NULL, tier INTEGER NOT NULL, min_ts INTEGER NOT NULL,
            max_ts INTEGER NOT NULL, series BLOB NOT NULL, data BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS blocks_by_time ON blocks(max_ts, min_ts);
        CREATE TABLE IF NOT EXISTS gaps(node TEXT NOT NULL, from_ts INTEGER NOT NULL, to_ts INTEGER NOT NULL, reason TEXT NOT NULL,
            UNIQUE(node, from_ts, to_ts, reason));
        CREATE TABLE IF NOT EXISTS events(node TEXT NOT NULL, ts INTEGER NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL,
            UNIQUE(node, ts, kind, detail));
        """

    public init(path: String) throws(SQLiteError) {
        database = try SQLiteDatabase(path: path)
        try database.execute("PRAGMA journal_mode=WAL")
        try database.execute("PRAGMA synchronous=FULL")
        try database.execute(Self.schema)
        let statement = try database.statement("SELECT id, name, labels FROM series ORDER BY id")
        var loaded: [(id: Int64, labels: Labels)] = []
        while try statement.step() {
            guard let labels = SeriesKey.decodeLabels(statement.string(2)) else { continue }
            let full = labels.adding("__name__", statement.string(1))
            loaded.append((statement.int64(0), full))
            ids[full] = statement.int64(0)
        }
        catalog.withLock { $0 = loaded }
        reader = try SQLiteDatabase(path: path, readOnly: true)
    }

    public func nodeSecretHash(_ node: String) throws -> String? {
        try lock.withLock { _ throws(SQLiteError) -> String? in
            let statement = try database.statement("SELECT secret_hash FROM nodes WHERE name = ?")
            statement.bind(1, node)
            defer { statement.reset() }
            return try statement.step() ? statement.string(0) : nil
        }
    }

    public func registerNode(_ node: String, secretHash: String, at time: Int64) throws {
        try lock.withLock { _ throws(SQLiteError) in
            try database.statement("INSERT OR IGNORE INTO nodes(name, secret_hash, first_seen, last_seen) VALUES(?, ?, ?, ?)")
                .bind(1, node).bind(2, secretHash).bind(3, time).bind(4, time).run()
        }
    }

    public func ingest(_ batch: UplinkBatch, receivedAt time: Int64) throws -> Bool {
        try lock.withLock { _ throws(SQLiteError) -> Bool in
            var added: [(id: Int64, labels: Labels)] = []
            let stored = try database.transaction { () throws(SQLiteError) -> Bool in
                let seen = try database.statement("SELECT 1 FROM batches WHERE node = ? AND stream = ? AND sequence = ?")
                seen.bind(1, batch.node).bind(2, batch.stream).bind(3, batch.sequence)
                defer { seen.reset() }
                if try seen.step() {
                    try database.statement("UPDATE nodes SET duplicates = duplicates + 1, last_seen = ? WHERE name = ?").bind(1, time).bind(2, batch.node).run()
                    return false
                }
                let samples = try insertSamples(batch, added: &added)
                try database.statement("INSERT INTO batches(node, stream, sequence, received_at, samples, tier, downgraded_from) VALUES(?, ?, ?, ?, ?, ?, ?)")
                    .bind(1, batch.node).bind(2, batch.stream).bind(3, batch.sequence).bind(4, time).bind(5, Int64(samples))
                    .bind(6, Int64(batch.tier.rawValue)).bind(7, Int64(batch.downgradedFrom?.rawValue ?? -1)).run()
                for gap in batch.gaps {
                    try database.statement("INSERT OR IGNORE INTO gaps(node, from_ts, to_ts, reason) VALUES(?, ?, ?, ?)")
                        .bind(1, batch.node).bind(2, gap.from).bind(3, gap.to).bind(4, gap.reason).run()
                }
                for event in batch.events {
                    try database.statement("INSERT OR IGNORE INTO events(node, ts, kind, detail) VALUES(?, ?, ?, ?)")
                        .bind(1, batch.node).bind(2, event.timestamp).bind(3, event.kind).bind(4, event.detail).run()
                }
                let newest = batch.block.timestamps.max() ?? 0
                try database.statement("""
                    UPDATE nodes SET batches = batches + 1, samples = samples + ?, gaps = gaps + ?, last_seen = ?,
                        last_sample_ts = max(last_sample_ts, ?), clock_events = clock_events + ?, downgraded = downgraded + ? WHERE name = ?
                    """)
                    .bind(1, Int64(samples)).bind(2, Int64(batch.gaps.count)).bind(3, time).bind(4, newest)
                    .bind(5, Int64(batch.events.filter { $0.kind == "clock_jump" }.count)).bind(6, Int64(batch.downgradedFrom == nil ? 0 : 1))
                    .bind(7, batch.node).run()
                return true
            }
            // Only committed series become visible (a rolled-back batch leaves no stale ids).
            for entry in added { ids[entry.labels] = entry.id }
            if !added.isEmpty { catalog.withLock { $0 += added } }
            return stored
        }
    }

    /// Stores the batch's block with the hub's ids of its series; returns the number of samples.
    private func insertSamples(_ batch: UplinkBatch, added: inout [(id: Int64, labels: Labels)]) throws(SQLiteError) -> Int {
        var seriesIDs: [Int64] = []
        var new: [Labels: Int64] = [:]
        for info in batch.series {
            let labels = info.labels.adding("node", batch.node)
            let full = labels.adding("__name__", info.name)
            if let id = ids[full] ?? new[full] {
                seriesIDs.append(id)
                continue
            }
            try database.statement("INSERT INTO series(name, labels, type) VALUES(?, ?, ?)")
                .bind(1, info.name).bind(2, SeriesKey(name: info.name, labels: labels, type: info.type).encodedLabels)
                .bind(3, Int64(MetricType.allCases.firstIndex(of: info.type) ?? 0)).run()
            let id = database.lastInsertRowID
            new[full] = id
            added.append((id, full))
            seriesIDs.append(id)
        }
        guard let first = batch.block.timestamps.min(), let last = batch.block.timestamps.max(), !batch.block.series.isEmpty else { return 0 }
        var mapping = [UInt8]()
        for entry in batch.block.series { Varint.append(UInt64(seriesIDs[Int(entry.id)]), to: &mapping) }
        var codec = BlockCodec()
        try database.statement("INSERT INTO blocks(node, tier, min_ts, max_ts, series, data) VALUES(?, ?, ?, ?, ?, ?)")
            .bind(1, batch.node).bind(2, Int64(batch.tier.rawValue)).bind(3, first).bind(4, last).bind(5, mapping)
            .bind(6, codec.encode(batch.block)).run()
        return batch.sampleCount
    }

    public func nodes() throws -> [NodeStatus] {
        try readLock.withLock { _ throws(SQLiteError) -> [NodeStatus] in
            let statement = try reader.statement("""
                SELECT name, first_seen, last_seen, last_sample_ts, batches, duplicates, samples, gaps, clock_events, downgraded FROM nodes ORDER BY name
                """)
            var result: [NodeStatus] = []
            while try statement.step() {
                result.append(NodeStatus(name: statement.string(0), firstSeen: statement.int64(1), lastSeen: statement.int64(2),
                                         lastSampleTimestamp: statement.int64(3), batches: statement.int64(4), duplicates: statement.int64(5),
                                         samples: statement.int64(6), gaps: statement.int64(7), clockEvents: statement.int64(8),
                                         downgradedBatches: statement.int64(9)))
            }
            return result
        }
    }

    public func series(matching selectors: [[LabelMatcher]], start: Int64, end: Int64) throws -> [Labels] {
        var result = Set<Labels>()
        for matchers in selectors {
            for series in try select(matchers, start: start, end: end) { result.insert(series.labels) }
        }
        return result.sorted()
    }

    public func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws -> [Series] {
        let known = catalog.withLock { $0 }
        var wanted: [Int64: Labels] = [:]
        for entry in known where matchers.allSatisfy({ $0.matches(entry.labels[$0.name] ?? "") }) { wanted[entry.id] = entry.labels }
        guard !wanted.isEmpty else { return [] }
        return try readLock.withLock { _ throws(SQLiteError) -> [Series] in
            let nodes = Set(wanted.values.compactMap { $0["node"] })
            let statement = try reader.statement("SELECT node, tier, series, data FROM blocks WHERE max_ts >= ? AND min_ts <= ? ORDER BY tier, min_ts")
            statement.bind(1, start).bind(2, end)
            // (timestamp, tier, value) per series; raw wins over a rollup at the same instant.
            var collected: [Int64: [(Int64, Int, Double)]] = [:]
            while try statement.step() {
                guard nodes.contains(statement.string(0)) else { continue }
                let tier = Int(statement.int64(1))
                let ids = Varint.decodeAll(statement.blob(2)).map { Int64($0) }
                guard ids.contains(where: { wanted[$0] != nil }) else { continue }
                var codec = BlockCodec()
                guard let block = try? codec.decode(statement.blob(3)) else { continue }
                let column = tier == Tier.raw.rawValue ? 0 : 4
                for entry in block.series where Int(entry.id) < ids.count && wanted[ids[Int(entry.id)]] != nil {
                    let id = ids[Int(entry.id)]
                    var valueIndex = 0
                    for (row, timestamp) in block.timestamps.enumerated() {
                        if let present = entry.present, !present[row] { continue }
                        defer { valueIndex += 1 }
                        guard timestamp >= start, timestamp <= end, column < entry.values.count, valueIndex < entry.values[column].count else { continue }
                        collected[id, default: []].append((timestamp, tier, entry.values[column][valueIndex]))
                    }
                }
            }
            var result: [Series] = []
            for (id, points) in collected {
                var series: [Point] = []
                for point in points.sorted(by: { ($0.0, $0.1) < ($1.0, $1.1) }) where series.last?.timestamp != point.0 {
                    series.append(Point(point.0, point.2))
                }
                if let labels = wanted[id], !series.isEmpty { result.append(Series(labels: labels, points: series)) }
            }
            return result.sorted { $0.labels < $1.labels }
        }
    }

    /// Gaps reported by a node within `[from, to]`.
    public func gaps(node: String, from: Int64, to: Int64) throws -> [UplinkBatch.Gap] {
        try readLock.withLock { _ throws(SQLiteError) -> [UplinkBatch.Gap] in
            let statement = try reader.statement("SELECT from_ts, to_ts, reason FROM gaps WHERE node = ? AND to_ts >= ? AND from_ts <= ? ORDER BY from_ts")
            statement.bind(1, node).bind(2, from).bind(3, to)
            var result: [UplinkBatch.Gap] = []
            while try statement.step() { result.append(UplinkBatch.Gap(from: statement.int64(0), to: statement.int64(1), reason: statement.string(2))) }
            return result
        }
    }
}
