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
            if lastCycle != nil {
                pendingEvents.append(StoreEvent(timestamp: cycle.timestamp, kind: "boot", detail: "boot id \(cycle.bootID)"))
            }
            bootID = cycle.bootID
            return
        }
        let wallDelta = cycle.timestamp - last.timestamp
        let monotonicDelta = (cycle.monotonicNanoseconds - last.monotonicNanoseconds) / 1_000_000
        let step = wallDelta - monotonicDelta
        if abs(step) > max(Self.jumpThresholdMilliseconds, monotonicDelta / 100) {
            statistics.clockJumps += 1
            let seconds = Double(step) / 1000
            pendingEvents.append(
                StoreEvent(
                    timestamp: cycle.timestamp,
                    kind: "clock_jump",
                    detail: "wall clock stepped \(seconds >= 0 ? "+" : "")\(seconds) s (synchronized: \(last.synchronized) → \(cycle.synchronized))"
                )
            )
            closeBuckets()
            epoch += 1
            if !last.synchronized, cycle.synchronized {
                // Samples taken before the first sync carried the wrong clock: shift them by the step.
                pendingCorrections.append((bootSequence, step))
            }
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
