import EdgewatchEncoding
import EdgewatchSQLite

#if canImport(Glibc)
import Glibc
#endif

/// Holding the byte budget: SQLite's max_page_count caps the database file (it answers
/// SQLITE_FULL instead of growing), the WAL is truncated after every flush, and whole segments
/// are evicted oldest first — raw before 1 m before 1 h — with a gap recorded for each.
extension StoreWriter {
    /// Copies the WAL into the database and truncates it to zero bytes. A reader holding an old
    /// snapshot can delay it; the next one catches up.
    func checkpoint() {
        database.checkpoint()
    }

    /// Checkpoints once the WAL holds half its reserve: pages rewritten by consecutive flushes
    /// (the open block's leaf, the segment row) then reach the database file once, not per flush.
    func checkpointIfLarge() {
        var info = stat()
        let wal = stat(configuration.path + "-wal", &info) == 0 ? Int64(info.st_size) : 0
        if wal > min(configuration.walReserveBytes / 2, 1 << 20, availableBytes / 8) { checkpoint() }
    }

    /// Lowers the page cap below what the filesystem can hold: of the space the store can see (its
    /// pages plus the free space) a quarter, at least 256 KiB, stays free for the WAL, the shared
    /// memory file and other writers,
    /// so eviction starts before the disk is full, not after. Other writers can still fill the disk;
    /// then a flush gets SQLITE_FULL and `recoverFromFullDisk` runs.
    func updateCapacity(pages: Int64) {
        var info = statvfs()
        let directory = configuration.path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        guard statvfs(directory.isEmpty ? "." : directory, &info) == 0 else { return }
        let available = Int64(info.f_bavail) * Int64(info.f_frsize)
        availableBytes = available
        let visible = pages * pageSize + available
        let room = (visible - max(256 * 1024, visible / 4)) / pageSize
        capPages = max(16, min(maxPages, room))
        try? database.execute("PRAGMA max_page_count=\(max(capPages, pages))")
    }

    /// After SQLITE_FULL: empty the WAL, evict the oldest segment, give the freed pages back to the
    /// filesystem and lower the cap so the database stops growing into the full disk.
    func recoverFromFullDisk() throws(SQLiteError) -> Bool {
        checkpoint()
        let pages = (try? database.integer("PRAGMA page_count")) ?? 0
        updateCapacity(pages: pages)
        capPages = min(capPages, max(16, pages * 85 / 100))
        let evicted = try evictOne()
        try? database.execute("PRAGMA incremental_vacuum")
        checkpoint()
        return evicted
    }

    /// Re-reads the file sizes into `statistics`.
    func refreshSizes() {
        let pages = (try? database.integer("PRAGMA page_count")) ?? 0
        updateCapacity(pages: pages)
        let free = (try? database.integer("PRAGMA freelist_count")) ?? 0
        var info = stat()
        let wal = stat(configuration.path + "-wal", &info) == 0 ? Int64(info.st_size) : 0
        statistics.fileBytes = pages * pageSize + wal
        statistics.usedBytes = (pages - free) * pageSize
        if let statement = try? database.statement("SELECT tier, SUM(bytes) FROM segments GROUP BY tier") {
            var sizes: [Tier: Int64] = [:]
            while (try? statement.step()) == true {
                if let tier = Tier(rawValue: Int(statement.int64(0))) { sizes[tier] = statement.int64(1) }
            }
            statistics.blockBytes = sizes
        }
    }

    /// Evicts until used pages are back under 70 % of the cap once they pass 85 %. Closed segments
    /// and the open raw one make that room; the open 1 m and 1 h segments (the summaries of the
    /// raw data just evicted) go only while the store is still over 85 % without them — series,
    /// events and logs take a large share of a small budget.
    func enforceBudget() throws(SQLiteError) {
        let cap = capPages * pageSize
        if statistics.usedBytes > cap * 85 / 100 {
            while statistics.usedBytes > cap * 70 / 100 {
                let over = statistics.usedBytes > cap * 85 / 100
                guard try evictOne(openSummaries: over) else { break }
                refreshSizes()
            }
        }
        // Free pages beyond the cap (a cap lowered for a filling disk) go back to the filesystem.
        if statistics.fileBytes > cap + configuration.walReserveBytes {
            try? database.execute("PRAGMA incremental_vacuum")
            checkpoint()
            refreshSizes()
        }
    }

    /// Deletes the oldest evictable segment, closed segments first, finer tiers first; open 1 m and
    /// 1 h segments only with `openSummaries`. False when nothing is left to evict.
    @discardableResult
    func evictOne(openSummaries: Bool = true) throws(SQLiteError) -> Bool {
        let openIDs = Set(openSegments.values.map(\.id))
        var candidate: (id: Int64, tier: Tier, min: Int64, max: Int64, samples: Int64)?
        search: for includeOpen in [false, true] {
            for tier in Tier.allCases where !includeOpen || openSummaries || tier == .raw {
                let statement = try database.statement("SELECT id, min_ts, max_ts, samples FROM segments WHERE tier = ? ORDER BY min_ts, id")
                statement.bind(1, Int64(tier.rawValue))
                defer { statement.reset() }
                while try statement.step() {
                    let id = statement.int64(0)
                    if !includeOpen, openIDs.contains(id) { continue }
                    candidate = (id, tier, statement.int64(1), statement.int64(2), statement.int64(3))
                    break search
                }
            }
        }
        guard let candidate else { return false }
        try database.transaction { () throws(SQLiteError) in
            try database.statement("DELETE FROM blocks WHERE id >= ? AND id < ?")
                .bind(1, StoreSchema.blockID(segment: candidate.id, sequence: 0)).bind(2, StoreSchema.blockID(segment: candidate.id + 1, sequence: 0))
                .run()
            try database.statement("DELETE FROM segments WHERE id = ?").bind(1, candidate.id).run()
            try insertGap(GapRecord(tier: candidate.tier, kind: .evicted, start: candidate.min, end: candidate.max))
            try deleteUnreferencedSeries()
            if candidate.tier == .raw {
                try database.statement("DELETE FROM cycles WHERE last_ts <= ?").bind(1, candidate.max).run()
            }
        }
        checkpoint()
        for (tier, open) in openSegments where open.id == candidate.id { openSegments[tier] = nil }
        statistics.segmentsEvicted += 1
        statistics.gapsRecorded += 1
        if candidate.tier == .raw { statistics.samplesEvicted += candidate.samples }
        return true
    }
}
