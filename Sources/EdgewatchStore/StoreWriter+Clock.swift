import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite

/// Boot, clock-step and collection-gap accounting, run before each cycle is buffered.
extension StoreWriter {
    /// A wall-clock step larger than this (beyond what the monotonic clock saw) is a jump.
    static let jumpThresholdMilliseconds: Int64 = 2000

    func observeClock(_ cycle: CycleRecord) throws(StoreError) {
        let interval = configuration.intervalMilliseconds
        guard cycle.bootID == bootID, let last = lastCycle else {
            // First cycle ever, or a new boot: samples before it came from another kernel.
            closeBuckets()
            epoch += 1
            do {
                let insert = try database.statement("INSERT INTO boots(boot_id, first_ts) VALUES(?, ?)")
                try insert.bind(1, cycle.bootID).bind(2, cycle.timestamp).run()
                bootSequence = database.lastInsertRowID
            } catch {
                throw StoreError.database(error)
            }
            if let last = lastCycle, cycle.timestamp - last.timestamp > 2 * interval {
                recordGap(GapRecord(tier: .raw, kind: .notCollected, start: last.timestamp + interval, end: cycle.timestamp))
            }
            if let last = lastCycle {
                recordNodeEvent(
                    .nodeRebooted,
                    at: cycle.timestamp,
                    message: "Node rebooted: the previous boot's last cycle was at \(RFC3339.format(milliseconds: last.timestamp)), "
                        + (previousBootStoppedCleanly ? "then the agent stopped cleanly" : "with no clean stop after it (power loss, crash or kill)"),
                    key: cycle.bootID
                )
            }
            bootID = cycle.bootID
            clockSynchronizedThisBoot = cycle.synchronized
            observeEra(cycle)
            return
        }
        let wallDelta = cycle.timestamp - last.timestamp
        let monotonicDelta = (cycle.monotonicNanoseconds - last.monotonicNanoseconds) / 1_000_000
        let step = wallDelta - monotonicDelta
        if abs(step) > max(Self.jumpThresholdMilliseconds, monotonicDelta / 100) {
            statistics.clockJumps += 1
            let seconds = Double(step) / 1000
            recordNodeEvent(
                .clockJump,
                at: cycle.timestamp,
                message: "Wall clock stepped \(seconds >= 0 ? "+" : "")\(seconds) s (synchronized: \(last.synchronized) → \(cycle.synchronized))",
                key: "\(cycle.bootID)/\(cycle.monotonicNanoseconds)"
            )
            closeBuckets()
            epoch += 1
            if !last.synchronized, cycle.synchronized, configuration.clockSyncWaitMilliseconds == nil || isHeld(last) {
                // Samples taken before the first sync carried the wrong clock: shift them by the step
                // (unless they were released unsynchronised: then they stay as taken, here and upstream).
                pendingCorrections.append((bootSequence, step))
            }
        }
        if !last.synchronized, cycle.synchronized, !clockSynchronizedThisBoot {
            clockSynchronizedThisBoot = true
            recordNodeEvent(
                .clockSynchronized,
                at: cycle.timestamp,
                message: "Wall clock synchronized for the first time since boot",
                key: cycle.bootID
            )
        }
        if monotonicDelta > 2 * interval {
            recordGap(GapRecord(tier: .raw, kind: .notCollected, start: cycle.timestamp - monotonicDelta + interval, end: cycle.timestamp))
        }
        observeEra(cycle)
    }

    /// Starts a new clock era when `cycle` is not after the newest cycle of the current one.
    private func observeEra(_ cycle: CycleRecord) {
        if let newest = eraNewest, cycle.timestamp <= newest {
            // Kept past eviction: the uplink still owes the era's events after its cycles are gone.
            setMeta(Self.eraEndKey(era), String(newest))
            closeBuckets()
            epoch += 1
            era += 1
            settledNewest = nil
            eraNewest = nil
        }
        eraNewest = max(eraNewest ?? cycle.timestamp, cycle.timestamp)
    }

    /// The meta key holding the newest cycle time of ended clock era `era`.
    static func eraEndKey(_ era: Int64) -> String { "era_end.\(era)" }

    /// The current clock era: that of the newest cycles, or the one after the last era that ended,
    /// should eviction have deleted every cycle since (an era number is never used twice).
    static let newestEraQuery = """
        SELECT max(coalesce((SELECT max(era) FROM cycles), 0),
            coalesce((SELECT max(CAST(substr(key, 9) AS INTEGER)) + 1 FROM meta WHERE key GLOB 'era_end.*'), 0))
        """

    /// Whether `cycle`'s rows wait for this boot's first clock sync: taken unsynchronised, before
    /// any sync this boot, within `clockSyncWaitMilliseconds` of the kernel's boot.
    func isHeld(_ cycle: CycleRecord) -> Bool {
        guard let wait = configuration.clockSyncWaitMilliseconds, !cycle.synchronized else { return false }
        let synced = cycle.bootID == bootID ? clockSynchronizedThisBoot : false
        return !synced && cycle.monotonicNanoseconds / 1_000_000 < wait
    }

    /// The clock era, its newest cycle, what of it is settled and whether this boot synced, as committed.
    func loadClockState() throws(SQLiteError) {
        era = try database.integer(Self.newestEraQuery)
        let newest = try database.statement("SELECT max(last_ts) FROM cycles WHERE era = ?")
        newest.bind(1, era)
        if try newest.step(), !newest.isNull(0) { eraNewest = newest.int64(0) }
        newest.reset()
        let synced = try database.statement("SELECT 1 FROM cycles WHERE boot_seq = ? AND synced = 1 LIMIT 1")
        synced.bind(1, bootSequence)
        clockSynchronizedThisBoot = try synced.step()
        synced.reset()
        // Unsynchronised rows of the last boot may still be held: what is settled is the rest.
        let settled = try database.statement("SELECT max(last_ts) FROM cycles WHERE era = ? AND (synced = 1 OR boot_seq <> ?)")
        settled.bind(1, era).bind(2, bootSequence)
        if try settled.step(), !settled.isNull(0) { settledNewest = settled.int64(0) }
        settled.reset()
    }

    func recordGap(_ gap: GapRecord) {
        pendingGaps.append(gap)
        statistics.gapsRecorded += 1
    }
}
