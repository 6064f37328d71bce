import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchWire

/// Committing a batch: the same rules as the SQLite writer, safe between replicas.
extension PostgresHubStorage {
    /// A batch naming its series table (``UplinkBatch/seriesReference``) maps to series ids
    /// through ``resolvedTables`` when it is its node's last table here; its series need not be
    /// filled in (``resolvableSeriesCount(node:hash:)``). Otherwise they must be.
    public func ingest(_ batch: UplinkBatch, receivedAt time: Int64, exclusive: Bool) throws -> Bool {
        let reference = batch.seriesReference  // resolving the series clears it
        let (prepared, known, knownEpoch) = try resolvedTables.prepare(batch) { try seriesTable(node: $0, hash: $1) }
        // What the presence rows' content digests start from (``PresenceContentDigest``).
        let table = PresenceContentDigest.table(of: prepared, named: reference)
        let outcome = try pool.withConnection { connection throws(PostgresError) -> Outcome in
            try connection.transaction { connection throws(PostgresError) -> Outcome in
                let batch = prepared
                // One transaction per node at a time across replicas: the checks below then see
                // every batch of the node committed before (and the schema's version, see
                // ``fenceWrites(node:_:)``, and the node's series epoch; read with the first
                // check, saving a round trip).
                try Self.lockForWriting(node: batch.node, connection)
                let (version, epoch, stored) = try windowStored(batch, connection)
                try checkSchema(version: version)
                // Retention deleted series of the node since its table was resolved: resolved again.
                if known != nil, knownEpoch != epoch { return Outcome(stale: true) }
                var duplicate = stored
                if !duplicate, exclusive { duplicate = try overlapsOtherWidths(batch, connection) }
                if !duplicate { duplicate = try !insertBatchRow(batch, receivedAt: time, connection) }
                guard !duplicate else {
                    try connection.execute(
                        "UPDATE nodes SET duplicates = duplicates + 1, last_seen = $1 WHERE name = $2",
                        [.int(time), .text(batch.node)]
                    )
                    return Outcome()
                }
                var (ids, added): ([Int64], [Labels: Int64]) = (known ?? [], [:])
                if known == nil { (ids, added) = try seriesIDs(batch, at: time, epoch: epoch, connection) }
                try insertBlock(batch, ids: ids, table: table, connection)
                let gaps = try insertGaps(batch, connection)
                try insertEvents(batch, connection)
                try connection.execute(
                    """
                    UPDATE nodes SET batches = batches + 1, samples = samples + $1, gaps = gaps + $2, last_seen = $3,
                        last_sample_ts = greatest(last_sample_ts, $4), clock_events = clock_events + $5, downgraded = downgraded + $6
                    WHERE name = $7
                    """,
                    [
                        .int(Self.storedSamples(batch)), .int(gaps), .int(time),
                        .int(batch.block.timestamps.max() ?? 0), .int(Int64(batch.events.filter { $0.reason == "ClockJump" }.count)),
                        .int(batch.downgradedFrom == nil ? 0 : 1), .text(batch.node),
                    ]
                )
                return Outcome(stored: true, added: added, ids: ids, epoch: epoch)
            }
        }
        if outcome.stale {
            resolvedTables.forget(node: batch.node)
            return try ingest(batch, receivedAt: time, exclusive: exclusive)
        }
        // Only committed ids are remembered (a rolled-back batch leaves none behind).
        if !outcome.added.isEmpty {
            let digests = SeriesDigest.keyed(outcome.added).mapValues { (id: $0, epoch: outcome.epoch) }
            knownIDs.withLock { $0.insert(digests, now: time) }
        }
        if let reference, let ids = outcome.ids, known == nil {
            resolvedTables.remember(node: batch.node, hash: reference, ids: ids, epoch: outcome.epoch)
        }
        return outcome.stored
    }

    /// What a batch's transaction did: stored or not (a replay), the series it added, its series'
    /// ids and the node's series epoch; stale when the ids it came with were out of date.
    private struct Outcome {
        var stored = false
        var added: [Labels: Int64] = [:]
        var ids: [Int64]?
        var epoch: Int64 = 0
        var stale = false
    }

    public func resolvableSeriesCount(node: String, hash: [UInt8]) -> Int? {
        resolvedTables.count(node: node, hash: hash)
    }

    /// The batch's row, keyed `(node, stream, sequence)`; false when that key is stored already.
    private func insertBatchRow(_ batch: UplinkBatch, receivedAt time: Int64, _ connection: PostgresConnection) throws(PostgresError) -> Bool {
        try connection.execute(
            """
            INSERT INTO batches(node, stream, sequence, received_at, samples, tier, downgraded_from) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT DO NOTHING
            """,
            [
                .text(batch.node), .text(batch.stream), .int(batch.sequence), .int(time), .int(Self.storedSamples(batch)),
                .int(Int64(batch.tier.rawValue)), .int(Int64(batch.downgradedFrom?.rawValue ?? -1)),
            ]
        ) == 1
    }

    /// The schema's version, the node's series epoch, and whether the window is stored already,
    /// whole or in `<stream>/partNofM` parts.
    private func windowStored(
        _ batch: UplinkBatch,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> (version: Int64, epoch: Int64, stored: Bool) {
        let base = batch.stream.firstRange(of: "/part").map { String(batch.stream[..<$0.lowerBound]) } ?? batch.stream
        let row = try connection.query(
            """
            SELECT (\(PostgresHubSchema.versionQuery)), coalesce((SELECT series_epoch FROM nodes WHERE name = $1), 0),
                EXISTS(SELECT 1 FROM batches WHERE node = $1 AND sequence = $4 AND
                    (stream = $2 OR stream = $3 OR ($2 = $3 AND starts_with(stream, $3 || '/part'))))
            """,
            [.text(batch.node), .text(batch.stream), .text(base), .int(batch.sequence)]
        )
        return (try row.int(0, 0), try row.int(0, 1), try row.bool(0, 2))
    }

    /// Whether a batch of the same family with another width overlaps this one's span.
    private func overlapsOtherWidths(_ batch: UplinkBatch, _ connection: PostgresConnection) throws(PostgresError) -> Bool {
        guard let (family, width) = UplinkStream.parse(batch.stream) else { return false }
        let rows = try connection.query(
            "SELECT stream, sequence FROM batches WHERE node = $1 AND starts_with(stream, $2) AND sequence > $3 AND sequence < $4",
            [.text(batch.node), .text(family), .int(batch.sequence - 86_400_000), .int(batch.sequence + width)]
        )
        for row in 0..<rows.rowCount {
            guard let (_, other) = UplinkStream.parse(try rows.string(row, 0)), other != width else { continue }
            if try rows.int(row, 1) + other > batch.sequence { return true }
        }
        return false
    }

    /// The database's id of each of the batch's series, inserting the new ones (one statement for
    /// all of them; another replica inserting the same series at once is waited for, not doubled).
    /// Known ids are looked up under the lock: a copy of the map held outside it would make every
    /// merge of new series copy the whole map.
    private func seriesIDs(
        _ batch: UplinkBatch,
        at time: Int64,
        epoch: Int64,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> (ids: [Int64], added: [Labels: Int64]) {
        var full: [Labels] = []
        for info in batch.series { full.append(info.labels.adding("node", batch.node).adding("__name__", info.name)) }
        let digests = full.map(SeriesDigest.init)
        let found = knownIDs.withLock { known in
            digests.map { digest in known.value(for: digest, now: time).flatMap { $0.epoch == epoch ? $0.id : nil } }
        }
        var keys: [String] = []
        var names: [String] = []
        var encoded: [String] = []
        var types: [Int64] = []
        for (info, id) in zip(batch.series, found) where id == nil {
            let text = SeriesKey(name: info.name, labels: info.labels.adding("node", batch.node), type: info.type).encodedLabels
            keys.append(Self.seriesKey(name: info.name, encodedLabels: text))
            names.append(info.name)
            encoded.append(text)
            types.append(Int64(info.type.code))
        }
        var added: [Labels: Int64] = [:]
        if !names.isEmpty {
            try connection.execute(
                """
                INSERT INTO series(key, name, labels, type) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[])
                ON CONFLICT DO NOTHING
                """,
                [.textArray(keys), .textArray(names), .textArray(encoded), .intArray(types)]
            )
            let rows = try connection.query("SELECT id, name, labels FROM series WHERE key = ANY($1::text[])", [.textArray(keys)])
            for row in 0..<rows.rowCount {
                guard let labels = SeriesKey.decodeLabels(try rows.string(row, 2)) else { continue }
                added[labels.adding("__name__", try rows.string(row, 1))] = try rows.int(row, 0)
            }
        }
        var ids: [Int64] = []
        for (labels, id) in zip(full, found) {
            guard let id = id ?? added[labels] else {
                throw PostgresError(.result, "series \(labels) has no id after insertion")
            }
            ids.append(id)
        }
        return (ids, added)
    }

    /// A series' unique key: the SHA-256 (hex) of its name, a NUL and its encoded labels.
    static func seriesKey(name: String, encodedLabels: String) -> String {
        var hash = SHA256()
        hash.update(Array(name.utf8) + [0] + Array(encodedLabels.utf8))
        return hash.hexDigest()
    }

    /// The samples a batch stores (none without series or timestamps).
    static func storedSamples(_ batch: UplinkBatch) -> Int64 {
        batch.block.series.isEmpty || batch.block.timestamps.isEmpty ? 0 : Int64(batch.sampleCount)
    }

    /// Stores the block, queued for every remote_write target, and its presence rows (their
    /// content digests from `table`, the hash of the batch's series table).
    private func insertBlock(_ batch: UplinkBatch, ids: [Int64], table: [UInt8]?, _ connection: PostgresConnection) throws(PostgresError) {
        guard let first = batch.block.timestamps.min(), let last = batch.block.timestamps.max(), !batch.block.series.isEmpty else { return }
        var codec = BlockCodec()
        let data = codec.encode(batch.block.numberedByPosition())
        let index = BatchSeriesIndex.index(of: data, seriesCount: batch.block.series.count)
        let series = batch.block.series.map { ids[Int($0.id)] }
        // The block and its place in every remote_write target's queue, in one statement.
        try connection.execute(
            """
            WITH block AS (INSERT INTO blocks(node, tier, min_ts, max_ts, series, data, series_index, series_digest)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id)
            INSERT INTO remote_write_queue(target, block) SELECT t.name, block.id FROM remote_write_targets t, block
            """,
            [
                .text(batch.node), .int(Int64(batch.tier.rawValue)), .int(first), .int(last), .intArray(series), .bytes(data),
                index.map { .bytes($0) } ?? .null, .bytes(SeriesListDigest.of(series)),
            ]
        )
        try Self.recordPresence(node: batch.node, rows: SeriesPresence.rows(of: batch.block, ids: ids, table: table), connection)
    }

    /// A gap reaching over several windows comes in each of their batches: it counts once.
    private func insertGaps(_ batch: UplinkBatch, _ connection: PostgresConnection) throws(PostgresError) -> Int64 {
        var added: Int64 = 0
        for gap in batch.gaps {
            added += Int64(
                try connection.execute(
                    "INSERT INTO gaps(node, from_ts, to_ts, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    [.text(batch.node), .int(gap.from), .int(gap.to), .text(gap.reason)]
                )
            )
        }
        return added
    }

    private func insertEvents(_ batch: UplinkBatch, _ connection: PostgresConnection) throws(PostgresError) {
        for event in batch.events {
            try connection.execute(
                """
                INSERT INTO events(node, uid, count, ts, first_ts, recorded_ts, source, type, reason, kind, namespace, name, message, delta)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING
                """,
                [
                    .text(batch.node), .text(event.uid), .int(event.count), .int(event.time), .int(event.firstSeen), .int(event.recorded),
                    .text(event.source.rawValue), .text(event.type), .text(event.reason), .text(event.object.kind),
                    .text(event.object.namespace), .text(event.object.name), .text(event.message), .int(event.delta),
                ]
            )
        }
    }
}
