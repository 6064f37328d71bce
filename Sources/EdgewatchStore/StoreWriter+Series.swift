import EdgewatchEncoding
import EdgewatchSQLite

/// Series ids, and the series that leave. A key seen recently has its id in memory; another is
/// looked up in (or added to) the database. Series that stop being collected (containers that
/// ended, disks unplugged) leave memory: their finished rollup buckets are written when the
/// minute or hour ends, not at shutdown, and once no bucket is open the series is forgotten. Its
/// row stays, marked with the newest segment at that time (`series.last_segment`), until eviction
/// has removed every segment up to that one: then no block refers to it. Segment ids, not
/// timestamps, because clock corrections move segment times.
extension StoreWriter {
    /// The series id of every sample, new series inserted together. Collection emits the same
    /// series in the same order cycle after cycle, so a sample whose key equals the one at its
    /// position last cycle reuses that id (an equality check instead of hashing the whole key).
    func resolveIDs(_ samples: [(SeriesKey, Double)]) throws(StoreError) -> [Int64] {
        var ids = [Int64](repeating: -1, count: samples.count)
        var fresh: [SeriesKey] = []
        for (index, (key, _)) in samples.enumerated() {
            if let id = lastCycleIDs.value(at: index, for: key) {
                ids[index] = id
            } else if let id = seriesIDs[key] {
                ids[index] = id
            } else {
                fresh.append(key)
            }
        }
        if !fresh.isEmpty {
            try registerSeries(fresh)
            for index in ids.indices where ids[index] < 0 {
                guard let id = seriesIDs[samples[index].0] else { throw StoreError.corrupt("series \(samples[index].0.name) has no id after insert") }
                ids[index] = id
            }
        }
        // Only ids that are all known and committed are reused next cycle.
        lastCycleIDs.replace(with: zip(samples, ids).map { ($0.0, $1) })
        return ids
    }

    /// Inserts new series and reads their ids in one transaction (one WAL commit, not one per
    /// series). A series that comes back keeps its id and is live again (its `last_segment` mark
    /// cleared). A full database makes room as a flush does (eviction) and tries again.
    private func registerSeries(_ fresh: [SeriesKey]) throws(StoreError) {
        var attempts = 0
        while true {
            do {
                // Ids become known only once their rows are committed.
                for (key, id) in try insertSeries(fresh) { seriesIDs[key] = id }
                return
            } catch {
                attempts += 1
                guard error.isFull, attempts < 16 else { throw StoreError.database(error) }
                try makeRoom(after: error, series: seriesIDs.count + fresh.count)
            }
        }
    }

    private func insertSeries(_ fresh: [SeriesKey]) throws(SQLiteError) -> [(SeriesKey, Int64)] {
        var found: [(SeriesKey, Int64)] = []
        try database.transaction { () throws(SQLiteError) in
            for key in fresh {
                try database.statement("INSERT OR IGNORE INTO series(name, labels, type) VALUES(?, ?, ?)")
                    .bind(1, key.name).bind(2, key.encodedLabels).bind(3, key.type.storedValue).run()
                let select = try database.statement("SELECT id, last_segment IS NOT NULL FROM series WHERE name = ? AND labels = ?")
                select.bind(1, key.name).bind(2, key.encodedLabels)
                defer { select.reset() }
                guard try select.step() else { continue }
                let id = select.int64(0)
                if select.int64(1) != 0 { try database.statement("UPDATE series SET last_segment = NULL WHERE id = ?").bind(1, id).run() }
                found.append((key, id))
            }
        }
        return found
    }

    /// Series with state in memory: collected in the last minute, or within the hour (see ``resting``).
    public var seriesInMemory: Int { seriesState.count + resting.count }

    /// Series whose key is held in memory (collected in the last minute or so).
    public var seriesKeysInMemory: Int { seriesIDs.count }

    /// Runs at the first cycle of each minute. A series not collected since the minute before has
    /// a finished minute bucket, and its key leaves memory (it is looked up again should the
    /// series come back); its open hour bucket rests (``resting``) until the hour ends, and then
    /// the series is forgotten altogether.
    func sweepVanished(minuteBucket: Int64, hourBucket: Int64, synchronized: Bool) {
        var gone: [Int64] = []
        for (id, state) in seriesState where state.lastSeen < minuteBucket { gone.append(id) }
        for id in gone {
            guard var state = seriesState.removeValue(forKey: id) else { continue }
            closeBucket(&state.minute, tier: .minute, unless: minuteBucket, id: id, synchronized: synchronized)
            closeBucket(&state.hour, tier: .hour, unless: hourBucket, id: id, synchronized: synchronized)
            seriesIDs[state.key] = nil
            if let hour = state.hour {
                resting[id] = RestingSeries(hour: hour, lastRaw: state.lastRaw)
            } else {
                pendingRetired.append(id)
            }
        }
        var ended: [Int64] = []
        for (id, series) in resting where series.hour.bucket != hourBucket { ended.append(id) }
        for id in ended {
            guard let series = resting.removeValue(forKey: id) else { continue }
            var hour: RollupAccumulator? = series.hour
            closeBucket(&hour, tier: .hour, unless: hourBucket, id: id, synchronized: synchronized)
            pendingRetired.append(id)
        }
        // Dictionaries keep their capacity: after a burst of short-lived series, give it back.
        seriesState.shrinkIfSparse()
        seriesIDs.shrinkIfSparse()
        resting.shrinkIfSparse()
    }

    /// The state of a series collected again: what rested of it, or nothing.
    func revivedState(_ id: Int64, key: SeriesKey) -> SeriesState {
        guard let series = resting.removeValue(forKey: id) else { return SeriesState(key: key) }
        return SeriesState(key: key, lastRaw: series.lastRaw, hour: series.hour)
    }

    /// Moves an open bucket other than `current` (any, when nil) to the pending rows.
    func closeBucket(_ accumulator: inout RollupAccumulator?, tier: Tier, unless current: Int64?, id: Int64, synchronized: Bool) {
        guard let open = accumulator, open.bucket != current else { return }
        if open.count > 0 {
            pending[tier, default: PendingTier()].add(
                timestamp: open.bucket,
                seriesID: id,
                columns: open.columns,
                key: segmentKey(tier, open.bucket, synchronized: synchronized)
            )
        }
        accumulator = nil
    }

    /// Marks forgotten series with the newest segment, after the flush's blocks are written (their
    /// last buckets are in them). A series that came back before the flush is live and keeps no mark.
    func writeRetired() throws(SQLiteError) {
        guard !pendingRetired.isEmpty else { return }
        let newest = try database.integer("SELECT coalesce(max(id), 0) FROM segments")
        for id in pendingRetired where seriesState[id] == nil && resting[id] == nil {
            try database.statement("UPDATE series SET last_segment = ? WHERE id = ?").bind(1, newest).bind(2, id).run()
        }
    }

    /// Forgets every series at a clean stop (after ``closeBuckets()``): the ones not collected
    /// again after a restart can then be deleted once their segments are gone.
    func retireAllSeries() {
        pendingRetired += seriesState.keys
        pendingRetired += resting.keys
        seriesState = [:]
        resting = [:]
        seriesIDs = [:]
        lastCycleIDs.reset()
    }

    /// Deletes forgotten series whose segments have all been evicted. The newest row is kept, so
    /// SQLite never hands a deleted id to a new series.
    func deleteUnreferencedSeries() throws(SQLiteError) {
        try database.execute(
            """
            DELETE FROM series WHERE last_segment < (SELECT min(id) FROM segments)
                AND id < (SELECT max(id) FROM series)
            """
        )
    }
}
