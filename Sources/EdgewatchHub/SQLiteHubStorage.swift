import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL
import EdgewatchSQLite
import EdgewatchWire
import Synchronization

/// The embedded default: one SQLite database in WAL mode with `synchronous=FULL`, so a batch
/// answered 2xx survives a crash or power cut. Every series gets a `node` label.
///
/// A batch's samples are kept as its compressed block (one row per batch, with the hub's ids of
/// its series), so ingest costs one insert per batch; queries decode the blocks they touch.
/// Batches are idempotent by `(node, stream, sequence)` and windows never overlap within a
/// stream, so a sample is stored once. Calls block on SQLite: the routes run them on NIO's
/// blocking-I/O pool.
public final class SQLiteHubStorage: HubStorage {
    /// The writing connection and its series ids.
    let writer: Mutex<HubDatabaseWriter>
    /// Queries use their own read-only connection, so a long query never holds up ingest (WAL
    /// readers do not block the writer).
    let reader: Mutex<SQLiteDatabase>
    /// Series ids by metric name: loaded at open, extended after each commit that added series.
    let namedIDs: Mutex<SeriesIDsByName>
    /// Label sets (with `__name__`) of the series queries have read lately, by id (up to
    /// ``RecentEntries/queryLabelsCapacity`` a generation).
    let seriesLabels = Mutex(
        RecentEntries<Int64, Labels>(age: RecentEntries<Int64, Labels>.seriesAge, capacity: RecentEntries<Int64, Labels>.queryLabelsCapacity)
    )
    /// The series the matchers of recent queries of one metric took (``WantedSeriesCache``).
    let wantedSeries = Mutex(WantedSeriesCache())
    /// Label names and values of the presence lists label listings read lately.
    let listLabels = ListLabelsCache()
    /// Per node, the series table its last stored batch named, mapped to series ids.
    let resolvedTables = ResolvedSeriesTables()
    /// Batches waiting for the writer, and outcomes of those another caller committed.
    let groups = IngestGroups()
    /// The points of the series queries decoded of blocks lately, by block and position.
    let blockPoints = SQLiteBlockPoints()
    /// Blocks a query could not decode, since start.
    let damaged = Mutex<Int64>(0)
    /// The presence rows of the hours listings read lately.
    let presenceMirror: PresenceMirror
    /// Each node's cluster.
    let nodeClusters = NodeClustersCache()

    public var cachedBatchBlocks: (listings: Int, series: Int, nodes: Int) { (0, blockPoints.count, 0) }

    public var undecodableBlocks: Int64 { damaged.withLock { $0 } }

    public var cachedSeries: (ingest: Int, query: Int) {
        (writer.withLock { $0.ids.count }, seriesLabels.withLock { $0.count })
    }

    public init(path: String) throws(SQLiteError) {
        let opened = try HubDatabaseWriter(path: path)
        let mirror = PresenceMirror()
        try opened.database.observeCommits(of: ["series_presence"]) { changed in
            if let rows = changed["series_presence"] { mirror.note(rows) }
        }
        presenceMirror = mirror
        namedIDs = Mutex(try opened.seriesIDsByName())
        writer = Mutex(opened)
        let reading = try SQLiteDatabase(path: path, readOnly: true)
        // Queries read blocks through a memory map rather than copying each page in (SQLite
        // keeps the map to its own ceiling, 2 GiB in Debian's build).
        try reading.execute("PRAGMA mmap_size=\(Int64(1) << 31)")
        reader = Mutex(reading)
    }

    public func nodeSecretHash(_ node: String) throws -> String? {
        try writer.withLock { writer throws(SQLiteError) -> String? in try writer.nodeSecretHash(node) }
    }

    public func registerNode(_ node: String, secretHash: String, at time: Int64) throws {
        try writer.withLock { writer throws(SQLiteError) in try writer.registerNode(node, secretHash: secretHash, at: time) }
    }

    /// A batch that names its series table (``UplinkBatch/seriesReference``) is mapped to the
    /// hub's ids through ``resolvedTables`` when its node's last table was that one; its series
    /// need not be filled in (``resolvableSeriesCount(node:hash:)``). Otherwise they must be.
    ///
    /// Batches arriving together share a commit (``IngestGroups``): the caller that gets the
    /// writer stores every batch waiting then, in one transaction with one fsync, and each caller
    /// returns once the commit holding its batch is done.
    public func ingest(_ batch: UplinkBatch, receivedAt time: Int64, exclusive: Bool) throws -> Bool {
        let reference = batch.seriesReference  // resolving the series clears it
        let (prepared, known, epoch) = try resolvedTables.prepare(batch) { try seriesTable(node: $0, hash: $1) }
        let request = HubIngestRequest(batch: prepared, receivedAt: time, exclusive: exclusive, seriesIDs: known, epoch: epoch, table: reference)
        let ticket = groups.enqueue(request)
        let outcome = try writer.withLock { writer throws -> HubIngestOutcome in
            if let done = groups.take(ticket) { return try done.get() }
            let group = groups.drain()
            let results: [Result<HubIngestOutcome, SQLiteError>]
            do throws(SQLiteError) {
                results = try writer.ingest(group.map(\.request))
            } catch {
                results = Array(repeating: .failure(error), count: group.count)
            }
            return try groups.finish(zip(group.map(\.ticket), results), mine: ticket).get()
        }
        if outcome.stale {
            // Retention deleted series of the node since its table was resolved: resolved again.
            resolvedTables.forget(node: batch.node)
            return try ingest(batch, receivedAt: time, exclusive: exclusive)
        }
        if !outcome.added.isEmpty { namedIDs.withLock { $0.add(outcome.added.map { ($0.id, $0.labels) }) } }
        if let reference, let ids = outcome.seriesIDs, known == nil {
            resolvedTables.remember(node: batch.node, hash: reference, ids: ids, epoch: outcome.epoch)
        }
        return outcome.stored
    }

    public func resolvableSeriesCount(node: String, hash: [UInt8]) -> Int? {
        resolvedTables.count(node: node, hash: hash)
    }

    public func seriesTable(node: String, hash: [UInt8]) throws -> [UInt8]? {
        try writer.withLock { writer throws(SQLiteError) -> [UInt8]? in try writer.seriesTable(node: node, hash: hash) }
    }

    public func keepSeriesTable(node: String, hash: [UInt8], table: [UInt8], at time: Int64) throws {
        try writer.withLock { writer throws(SQLiteError) in try writer.keepSeriesTable(node: node, hash: hash, table: table, at: time) }
    }

    public func report(_ report: NodeReport, node: String) throws {
        try writer.withLock { writer throws(SQLiteError) in try writer.report(report, node: node) }
        nodeClusters.reported(node: node, cluster: report.cluster)
    }

    public func nodes() throws -> [NodeStatus] {
        try reader.withLock { reader throws(SQLiteError) -> [NodeStatus] in
            let statement = try reader.statement(
                """
                SELECT name, first_seen, last_seen, last_sample_ts, batches, duplicates, samples, gaps, clock_events, downgraded,
                    cluster, backlog, dead_letters, slot_ms FROM nodes ORDER BY name
                """
            )
            var result: [NodeStatus] = []
            while try statement.step() {
                result.append(
                    NodeStatus(
                        name: statement.string(0),
                        firstSeen: statement.int64(1),
                        lastSeen: statement.int64(2),
                        lastSampleTimestamp: statement.int64(3),
                        batches: statement.int64(4),
                        duplicates: statement.int64(5),
                        samples: statement.int64(6),
                        gaps: statement.int64(7),
                        clockEvents: statement.int64(8),
                        downgradedBatches: statement.int64(9),
                        report: NodeReport(
                            cluster: statement.string(10),
                            backlogWindows: statement.int64(11),
                            deadLetters: statement.int64(12),
                            slotMilliseconds: statement.int64(13)
                        )
                    )
                )
            }
            return result
        }
    }

    /// Gaps reported by a node within `[from, to]`.
    public func gaps(node: String, from: Int64, to: Int64) throws -> [UplinkBatch.Gap] {
        try reader.withLock { reader throws(SQLiteError) -> [UplinkBatch.Gap] in
            let statement = try reader.statement(
                "SELECT from_ts, to_ts, reason FROM gaps WHERE node = ? AND to_ts >= ? AND from_ts <= ? ORDER BY from_ts"
            )
            statement.bind(1, node).bind(2, from).bind(3, to)
            var result: [UplinkBatch.Gap] = []
            while try statement.step() {
                result.append(UplinkBatch.Gap(from: statement.int64(0), to: statement.int64(1), reason: statement.string(2)))
            }
            return result
        }
    }
}
