import EdgewatchEncoding
import EdgewatchSQLite

#if canImport(Glibc)
import Glibc
#endif

/// Committing the head: one transaction per flush, retried after eviction when the database is full.
extension StoreWriter {
    /// Whether anything waits to be written.
    public var hasPendingData: Bool {
        !pendingCycles.isEmpty || !pendingGaps.isEmpty || !pendingEvents.isEmpty || !pendingMeta.isEmpty || !pendingLogs.isEmpty
            || !pendingAnnotations.isEmpty || !pendingRetired.isEmpty || pending.values.contains { !$0.isEmpty }
    }

    /// The first and last timestamps and number of cycles the next flush will commit.
    public var pendingCycleRange: (first: Int64, last: Int64, count: Int)? {
        guard let first = pendingCycles.first?.cycle.timestamp, let last = pendingCycles.last?.cycle.timestamp else { return nil }
        return (first, last, pendingCycles.count)
    }

    /// Writes everything buffered since the last flush in one transaction. Once it returns, the
    /// data is durable (synchronous=FULL). On SQLITE_FULL it evicts and retries; on other errors
    /// the buffered data stays in memory for the next attempt.
    public func flush() throws(StoreError) {
        guard hasPendingData else { return }
        var attempts = 0
        while true {
            let saved = openSegments
            do {
                try database.transaction { () throws(SQLiteError) in try writePending() }
                break
            } catch {
                openSegments = saved
                statistics.flushFailures += 1
                flushFailing = true
                attempts += 1
                guard error.isFull, attempts < 16 else { throw StoreError.database(error) }
                try makeRoom(after: error, series: seriesState.count)
            }
        }
        flushFailing = false
        statistics.samplesWritten += Int64(pending[.raw]?.blocks.reduce(0) { $0 + $1.sampleCount } ?? 0)
        statistics.flushes += 1
        statistics.seriesInMemory = Int64(seriesState.count)
        for tier in Tier.allCases { pending[tier] = PendingTier() }
        pendingCycles.removeAll()
        pendingGaps.removeAll()
        pendingEvents.removeAll()
        pendingKeys.removeAll()
        pendingMeta.removeAll()
        pendingLogs.removeAll()
        pendingAnnotations.removeAll()
        pendingRetired.removeAll()
        eventBytes += committedEventBytes
        if !pendingCorrections.isEmpty, let last = lastCycle, !isHeld(last) { settledNewest = last.timestamp }
        pendingCorrections.removeAll()
        refreshSizes()
        do {
            try enforceEventShare()
            try enforceLogShare()
            try enforceBudget()
        } catch {
            throw StoreError.database(error)
        }
        checkpointIfLarge()
    }

    /// After SQLITE_FULL (`error`): evicts the oldest segment (see `recoverFromFullDisk`), or
    /// throws when nothing is left to evict (`series`: how many the store is asked to hold).
    func makeRoom(after error: SQLiteError, series: Int) throws(StoreError) {
        let evicted: Bool
        do {
            evicted = try recoverFromFullDisk()
        } catch let evictionError {
            throw StoreError.database(evictionError)
        }
        guard evicted else { throw outOfRoom(error, series: series) }
    }

    /// The error for a full database with nothing left to evict: the filesystem when it is full,
    /// else the budget itself, too small for the series table, events and logs alone.
    private func outOfRoom(_ error: SQLiteError, series: Int) -> StoreError {
        guard availableBytes > configuration.walReserveBytes + (1 << 20) else { return .database(error) }
        return .configuration(
            "store.max_bytes (\(configuration.maxBytes) bytes) is too small for \(series) series: with every segment "
                + "evicted, their table, the events and the logs still fill it (\(error)); raise store.max_bytes"
        )
    }

    private func writePending() throws(SQLiteError) {
        for tier in Tier.allCases {
            for block in pending[tier]?.blocks ?? [] {
                guard let first = block.timestamps.min(), let last = block.timestamps.max() else { continue }
                var segment = try segment(for: tier, key: block.key, timestamp: first)
                let restart = segment.nextSequence == 0 || segment.rowsSinceRestart >= Self.restartRows
                if restart {
                    segment.codec = BlockCodec(forgetsAbsentSeries: true)
                    segment.rowsSinceRestart = 0
                }
                let bytes = segment.codec.encode(block.block(columns: tier.columns))
                segment.rowsSinceRestart += block.timestamps.count
                try database.statement("INSERT INTO blocks(id, data, min_ts, max_ts, restart) VALUES(?, ?, ?, ?, ?)")
                    .bind(1, StoreSchema.blockID(segment: segment.id, sequence: segment.nextSequence)).bind(2, bytes)
                    .bind(3, first).bind(4, last).bind(5, Int64(restart ? 1 : 0)).run()
                try database.statement(
                    """
                    UPDATE segments SET min_ts = min(min_ts, ?), max_ts = max(max_ts, ?), bytes = bytes + ?, samples = samples + ?
                    WHERE id = ?
                    """
                ).bind(1, first).bind(2, last).bind(3, Int64(bytes.count)).bind(4, Int64(block.sampleCount)).bind(5, segment.id).run()
                segment.nextSequence += 1
                openSegments[tier] = segment
            }
        }
        try writeRetired()
        try writeCycles()
        for gap in pendingGaps {
            try insertGap(gap)
        }
        try writePendingEvents()
        try writePendingLogs()
        try writePendingAnnotations()
        for correction in pendingCorrections {
            try database.statement(
                """
                UPDATE segments SET min_ts = min_ts + ?1, max_ts = max_ts + ?1, offset_ms = offset_ms + ?1, synced = 1
                WHERE boot_seq = ?2 AND synced = 0
                """
            ).bind(1, correction.offset).bind(2, correction.bootSequence).run()
            try database.statement(
                """
                UPDATE cycles SET first_ts = first_ts + ?1, last_ts = last_ts + ?1, offset_ms = offset_ms + ?1, synced = 1
                WHERE boot_seq = ?2 AND synced = 0
                """
            ).bind(1, correction.offset).bind(2, correction.bootSequence).run()
        }
    }

    /// One row per flush, per boot and clock-sync state: the cycles' timestamps, monotonic times and durations.
    private func writeCycles() throws(SQLiteError) {
        var start = 0
        while start < pendingCycles.count {
            var end = start
            while end + 1 < pendingCycles.count, pendingCycles[end + 1].bootSequence == pendingCycles[start].bootSequence,
                pendingCycles[end + 1].cycle.synchronized == pendingCycles[start].cycle.synchronized,
                pendingCycles[end + 1].era == pendingCycles[start].era
            {
                end += 1
            }
            let batch = pendingCycles[start...end].map(\.cycle)
            var data: [UInt8] = []
            Varint.append(UInt64(batch.count), to: &data)
            var previousTimestamp: Int64 = 0
            var previousMonotonic: Int64 = 0
            for cycle in batch {
                Varint.append(signed: cycle.timestamp &- previousTimestamp, to: &data)
                Varint.append(signed: cycle.monotonicNanoseconds &- previousMonotonic, to: &data)
                Varint.append(UInt64(max(cycle.durationMicroseconds, 0)), to: &data)
                previousTimestamp = cycle.timestamp
                previousMonotonic = cycle.monotonicNanoseconds
            }
            let first = batch.first?.timestamp ?? 0
            let last = batch.last
            try database.statement(
                """
                INSERT INTO cycles(boot_seq, synced, first_ts, last_ts, last_monotonic_ns, data, era) VALUES(?, ?, ?, ?, ?, ?, ?)
                """
            ).bind(1, pendingCycles[start].bootSequence).bind(2, Int64(pendingCycles[start].cycle.synchronized ? 1 : 0))
                .bind(3, min(first, last?.timestamp ?? first)).bind(4, max(first, last?.timestamp ?? first))
                .bind(5, last?.monotonicNanoseconds ?? 0).bind(6, data).bind(7, pendingCycles[start].era).run()
            start = end + 1
        }
    }

    func insertGap(_ gap: GapRecord) throws(SQLiteError) {
        try database.statement("INSERT INTO gaps(tier, kind, start_ts, end_ts) VALUES(?, ?, ?, ?)")
            .bind(1, Int64(gap.tier.rawValue)).bind(2, gap.kind.rawValue).bind(3, gap.start).bind(4, gap.end).run()
    }

    /// The open segment for `key`, or a new one (the previous stays as written).
    private func segment(for tier: Tier, key: SegmentKey, timestamp: Int64) throws(SQLiteError) -> OpenSegment {
        if let open = openSegments[tier], open.key == key { return open }
        try database.statement("INSERT INTO segments(tier, min_ts, max_ts, boot_seq, synced, era) VALUES(?, ?, ?, ?, ?, ?)")
            .bind(1, Int64(tier.rawValue)).bind(2, timestamp).bind(3, timestamp).bind(4, key.bootSequence)
            .bind(5, Int64(key.synchronized ? 1 : 0)).bind(6, key.era).run()
        return OpenSegment(key: key, id: database.lastInsertRowID, codec: BlockCodec(forgetsAbsentSeries: true), nextSequence: 0)
    }
}
