import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire

/// What storing one batch did: whether it was stored (not a replay), the series it added (visible
/// to queries only once committed), and the hub's ids of its series when stored.
struct HubIngestOutcome {
    var stored: Bool
    var added: [(id: Int64, labels: Labels, key: SeriesDigest)]
    var seriesIDs: [Int64]?
    /// Not stored: the ids it came with were resolved before retention deleted series of its node.
    var stale = false
    /// The node's series epoch the ids were taken at.
    var epoch: Int64 = 0
}

extension HubDatabaseWriter {
    /// Commits `batch` unless its key was stored before.
    mutating func ingest(
        _ batch: UplinkBatch,
        receivedAt time: Int64,
        exclusive: Bool = false,
        seriesIDs known: [Int64]? = nil
    ) throws(SQLiteError) -> HubIngestOutcome {
        let outcome = try ingest([HubIngestRequest(batch: batch, receivedAt: time, exclusive: exclusive, seriesIDs: known)])
        return try outcome[0].get()
    }

    /// Stores a group of batches in one transaction, so they share one commit and its fsync; each
    /// batch runs under its own savepoint, so one that fails is rolled back alone and answers its
    /// error while the others commit. Throws (and stores none) when the commit itself fails.
    mutating func ingest(_ requests: [HubIngestRequest]) throws(SQLiteError) -> [Result<HubIngestOutcome, SQLiteError>] {
        // Series the group added, and those it found stored (committed before, so kept even when
        // their batch rolls back).
        var uncommitted: [SeriesDigest: Int64] = [:]
        var found: [SeriesDigest: Int64] = [:]
        let results = try database.transaction { () throws(SQLiteError) -> [Result<HubIngestOutcome, SQLiteError>] in
            var results: [Result<HubIngestOutcome, SQLiteError>] = []
            for request in requests {
                try database.execute("SAVEPOINT batch")
                do throws(SQLiteError) {
                    let outcome = try store(request, uncommitted: uncommitted, found: &found)
                    try database.execute("RELEASE batch")
                    for entry in outcome.added { uncommitted[entry.key] = entry.id }
                    results.append(.success(outcome))
                } catch {
                    try database.execute("ROLLBACK TO batch")
                    try database.execute("RELEASE batch")
                    results.append(.failure(error))
                }
            }
            return results
        }
        // Only committed series are remembered (a rolled-back batch leaves no stale ids).
        ids.insert(found.merging(uncommitted) { _, new in new }, now: requests.map(\.receivedAt).max() ?? 0)
        return results
    }

    /// One batch's statements, inside the group's transaction; `uncommitted` holds the series
    /// earlier batches of the group added.
    private mutating func store(
        _ request: HubIngestRequest,
        uncommitted: [SeriesDigest: Int64],
        found: inout [SeriesDigest: Int64]
    ) throws(SQLiteError) -> HubIngestOutcome {
        let (batch, time) = (request.batch, request.receivedAt)
        let epoch = seriesEpochs[batch.node] ?? 0
        if request.seriesIDs != nil, request.epoch != epoch { return HubIngestOutcome(stored: false, added: [], stale: true) }
        let overlapped = request.exclusive ? try overlapsOtherWidths(batch) : false
        if try windowStored(batch) || overlapped {
            try database.statement("UPDATE nodes SET duplicates = duplicates + 1, last_seen = ? WHERE name = ?").bind(1, time).bind(2, batch.node)
                .run()
            return HubIngestOutcome(stored: false, added: [], seriesIDs: nil)
        }
        var added: [(id: Int64, labels: Labels, key: SeriesDigest)] = []
        var seriesIDs = request.seriesIDs ?? []
        if request.seriesIDs == nil {
            seriesIDs = try self.seriesIDs(request, uncommitted: uncommitted, found: &found, added: &added)
        }
        let samples = try insertSamples(request, ids: seriesIDs)
        try database.statement(
            "INSERT INTO batches(node, stream, sequence, received_at, samples, tier, downgraded_from) VALUES(?, ?, ?, ?, ?, ?, ?)"
        )
        .bind(1, batch.node).bind(2, batch.stream).bind(3, batch.sequence).bind(4, time).bind(5, Int64(samples))
        .bind(6, Int64(batch.tier.rawValue)).bind(7, Int64(batch.downgradedFrom?.rawValue ?? -1)).run()
        // A gap reaching over several windows comes in each of their batches: it counts once.
        var gaps: Int64 = 0
        for gap in batch.gaps {
            try database.statement("INSERT OR IGNORE INTO gaps(node, from_ts, to_ts, reason) VALUES(?, ?, ?, ?)")
                .bind(1, batch.node).bind(2, gap.from).bind(3, gap.to).bind(4, gap.reason).run()
            gaps += Int64(database.changes)
        }
        try insertEvents(batch)
        let newest = batch.block.timestamps.max() ?? 0
        try database.statement(
            """
            UPDATE nodes SET batches = batches + 1, samples = samples + ?, gaps = gaps + ?, last_seen = ?,
                last_sample_ts = max(last_sample_ts, ?), clock_events = clock_events + ?, downgraded = downgraded + ? WHERE name = ?
            """
        )
        .bind(1, Int64(samples)).bind(2, gaps).bind(3, time).bind(4, newest)
        .bind(5, Int64(batch.events.filter { $0.reason == "ClockJump" }.count)).bind(6, Int64(batch.downgradedFrom == nil ? 0 : 1))
        .bind(7, batch.node).run()
        return HubIngestOutcome(stored: true, added: added, seriesIDs: seriesIDs, epoch: epoch)
    }

    /// Whether the batch's window is stored already, whole or in parts: an uplink splits an
    /// oversized window into `<stream>/partNofM` batches, and an import sends it whole.
    private func windowStored(_ batch: UplinkBatch) throws(SQLiteError) -> Bool {
        let base = batch.stream.firstRange(of: "/part").map { String(batch.stream[..<$0.lowerBound]) } ?? batch.stream
        let seen = try database.statement(
            """
            SELECT 1 FROM batches WHERE node = ?1 AND sequence = ?4 AND
                (stream = ?2 OR stream = ?3 OR (?2 = ?3 AND stream >= ?3 || '/part' AND stream < ?3 || '/part~'))
            """
        )
        seen.bind(1, batch.node).bind(2, batch.stream).bind(3, base).bind(4, batch.sequence)
        defer { seen.reset() }
        return try seen.step()
    }

    /// Whether a batch of the node in the same family (`metrics/1m/`) with another width overlaps the
    /// batch's span; widths are read from stream names (`metrics/1m/60s`, `…/600s/part1of2`).
    private func overlapsOtherWidths(_ batch: UplinkBatch) throws(SQLiteError) -> Bool {
        guard let (family, width) = UplinkStream.parse(batch.stream) else { return false }
        let statement = try database.statement(
            "SELECT stream, sequence FROM batches WHERE node = ?1 AND stream >= ?2 AND stream < ?2 || '~' AND sequence > ?3 AND sequence < ?4"
        )
        // No uplink batch is wider than a day.
        statement.bind(1, batch.node).bind(2, family).bind(3, batch.sequence - 86_400_000).bind(4, batch.sequence + width)
        defer { statement.reset() }
        while try statement.step() {
            guard let (_, other) = UplinkStream.parse(statement.string(0)), other != width else { continue }
            if statement.int64(1) + other > batch.sequence { return true }
        }
        return false
    }

    /// Stores the batch's block with the hub's ids of its series (`ids`, by the block's series
    /// ids); returns the number of samples.
    private func insertSamples(_ request: HubIngestRequest, ids seriesIDs: [Int64]) throws(SQLiteError) -> Int {
        let batch = request.batch
        guard let encoded = request.encoded else { return 0 }
        var mapping = [UInt8]()
        for entry in batch.block.series {
            guard entry.id >= 0, Int(entry.id) < seriesIDs.count else {
                throw SQLiteError(
                    code: 21 /* SQLITE_MISUSE */,
                    message: "the block names series \(entry.id) of \(seriesIDs.count)",
                    context: "ingest"
                )
            }
            Varint.append(UInt64(seriesIDs[Int(entry.id)]), to: &mapping)
        }
        let statement = try database.statement(
            "INSERT INTO blocks(node, tier, min_ts, max_ts, series, data, series_index, id) VALUES(?, ?, ?, ?, ?, ?, ?, \(BlockIDSequence.id(8)))"
        )
        statement.bind(1, batch.node).bind(2, Int64(batch.tier.rawValue)).bind(3, encoded.first).bind(4, encoded.last).bind(5, mapping)
        statement.bind(6, encoded.data).bind(8, blockIDs.next)
        if let index = encoded.index {
            statement.bind(7, index)
        } else {
            statement.bindNull(7)
        }
        try statement.run()
        let block = database.lastInsertRowID
        blockIDs.given(block)
        try enqueue(block: block)
        try recordPresence(node: batch.node, block: batch.block, ids: seriesIDs, table: request.seriesTable)
        return batch.sampleCount
    }
}
