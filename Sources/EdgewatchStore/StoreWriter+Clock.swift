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
            if !last.synchronized, cycle.synchronized {
                // Samples taken before the first sync carried the wrong clock: shift them by the step.
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
    }

    func recordGap(_ gap: GapRecord) {
        pendingGaps.append(gap)
        statistics.gapsRecorded += 1
    }
}
