import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import Testing

@testable import EdgewatchStore

/// Clock eras and the hold for pre-sync rows: what the uplink needs to send every row once, at its
/// corrected time, whichever way the clock steps.
@Suite struct ClockEraTests {
    let key = SeriesKey(name: "test_gauge", labels: [:], type: .gauge)
    let start: Int64 = 1_800_000_000_000
    let day: Int64 = 86_400_000

    func writer(_ directory: StoreDirectory, wait: Int64? = 60_000) throws -> StoreWriter {
        var configuration = StoreConfiguration(path: directory.database, maxBytes: 8 << 20, intervalMilliseconds: 1000)
        configuration.clockSyncWaitMilliseconds = wait
        return try StoreWriter(configuration: configuration)
    }

    func times(_ reader: StoreReader, era: Int64?) throws -> [Int64] {
        let ids = Set(try reader.series { _ in true }.map(\.0))
        return try reader.points(ids: ids, tier: .raw, from: 0, to: .max, era: era).values.first?.map(\.0) ?? []
    }

    @Test("a boot three days behind is held until it syncs, in an era of its own, then settled at corrected times")
    func heldUntilSynced() throws {
        let directory = try StoreDirectory()
        let writer = try writer(directory)
        for index in 0..<5 {
            try writer.append(cycle: cycle(start + Int64(index) * 1000, monotonic: 100_000 + Int64(index) * 1000), samples: [(key, 1)])
        }
        try writer.flush()
        #expect(writer.pendingView(tier: .raw, from: 0, to: 0).settledThrough == start + 4000)
        // Reboot: the clock starts three days behind, unsynchronised, 10 s after the kernel booted.
        let behind = start - 3 * day
        for index in 0..<5 {
            try writer.append(
                cycle: cycle(behind + Int64(index) * 1000, boot: "boot-b", monotonic: 10_000 + Int64(index) * 1000, synced: false),
                samples: [(key, 2)]
            )
        }
        try writer.flush()
        var view = writer.pendingView(tier: .raw, from: 0, to: 0)
        #expect(view.holding && view.era == 1 && view.settledThrough == nil)
        // NTP steps the clock: held until the flush commits the correction.
        let synced = start + 20_000
        try writer.append(cycle: cycle(synced, boot: "boot-b", monotonic: 15_000), samples: [(key, 3)])
        view = writer.pendingView(tier: .raw, from: 0, to: 0)
        #expect(view.holding && view.era == 1)
        try writer.flush()
        view = writer.pendingView(tier: .raw, from: 0, to: 0)
        #expect(!view.holding && view.settledThrough == synced)
        let reader = try StoreReader(path: directory.database)
        #expect(try times(reader, era: 0) == (0..<5).map { start + Int64($0) * 1000 })
        #expect(try times(reader, era: 1) == (0...5).map { synced - 5000 + Int64($0) * 1000 })
        #expect(try reader.cycleBounds(era: 1)?.first == synced - 5000)
        #expect(try reader.cycleBounds()?.first == start && reader.newestEra() == 1)
        try writer.close()
    }

    @Test("rows taken unsynchronised after the wait are final as taken: a later sync does not move them")
    func releasedAfterTheWait() throws {
        let directory = try StoreDirectory()
        let writer = try writer(directory, wait: 60_000)
        // The agent starts 2 minutes after the kernel booted, the clock never synced.
        for index in 0..<5 {
            try writer.append(cycle: cycle(start + Int64(index) * 1000, monotonic: 120_000 + Int64(index) * 1000, synced: false), samples: [(key, 1)])
        }
        #expect(!writer.pendingView(tier: .raw, from: 0, to: 0).holding)
        #expect(writer.pendingView(tier: .raw, from: 0, to: 0).settledThrough == start + 4000)
        try writer.append(cycle: cycle(start + day, monotonic: 125_000), samples: [(key, 2)])
        try writer.flush()
        let reader = try StoreReader(path: directory.database)
        #expect(try times(reader, era: nil) == (0..<5).map { start + Int64($0) * 1000 } + [start + day])
        #expect(try reader.events(recordedFrom: 0, to: .max).contains { $0.reason == NodeEventReason.clockJump.rawValue })
        try writer.close()
    }

    @Test("a synced clock that steps back starts a new era; eras never overlap within themselves and survive a restart")
    func backwardStepsStartEras() throws {
        let directory = try StoreDirectory()
        var writer = try writer(directory)
        for index in 0..<10 {
            try writer.append(cycle: cycle(start + Int64(index) * 1000, monotonic: 100_000 + Int64(index) * 1000), samples: [(key, 1)])
        }
        // Back 5.5 s: the new era overlaps the last five seconds of the first.
        for index in 0..<10 {
            try writer.append(cycle: cycle(start + 3500 + Int64(index) * 1000, monotonic: 110_000 + Int64(index) * 1000), samples: [(key, 2)])
        }
        #expect(writer.pendingView(tier: .raw, from: 0, to: .max, era: 0).points.values.first?.count == 10)
        #expect(writer.pendingView(tier: .raw, from: 0, to: .max, era: 1).points.values.first?.count == 10)
        try writer.close()
        writer = try self.writer(directory)
        // After a restart the era goes on; forward time stays in it, back a day starts the next.
        try writer.append(cycle: cycle(start + 20_000, monotonic: 130_000), samples: [(key, 3)])
        #expect(writer.pendingView(tier: .raw, from: 0, to: 0).era == 1)
        try writer.append(cycle: cycle(start + 21_000 - day, monotonic: 131_000), samples: [(key, 4)])
        #expect(writer.pendingView(tier: .raw, from: 0, to: 0).era == 2)
        try writer.flush()
        let reader = try StoreReader(path: directory.database)
        #expect(try times(reader, era: 0) == (0..<10).map { start + Int64($0) * 1000 })
        #expect(try times(reader, era: 1) == (0..<10).map { start + 3500 + Int64($0) * 1000 } + [start + 20_000])
        #expect(try times(reader, era: 2) == [start + 21_000 - day])
        #expect(try reader.cycleBounds(era: 1)?.last == start + 20_000 && reader.newestEra() == 2)
        #expect(try reader.oldestTimestamp(tier: .raw, era: 1) == start + 3500)
        try writer.close()
    }

    @Test("an ended era keeps its end once eviction deleted its cycles, and its number is never used again")
    func eraEndsOutliveEviction() throws {
        let directory = try StoreDirectory()
        var writer = try writer(directory)
        for index in 0..<5 {
            try writer.append(cycle: cycle(start + Int64(index) * 1000, monotonic: 100_000 + Int64(index) * 1000), samples: [(key, 1)])
        }
        try writer.append(cycle: cycle(start + 2500, monotonic: 105_000), samples: [(key, 2)])
        try writer.flush()
        while try writer.evictOne() {}
        try writer.close()
        let reader = try StoreReader(path: directory.database)
        #expect(try reader.cycleBounds() == nil)
        #expect(try reader.eraEnd(0) == start + 4000 && reader.eraEnd(1) == nil)
        #expect(try reader.newestEra() == 1)
        // A restart goes on in era 1: its times must not join era 0's, which the uplink may have sent.
        writer = try self.writer(directory)
        try writer.append(cycle: cycle(start + 3500, monotonic: 106_000), samples: [(key, 3)])
        #expect(writer.pendingView(tier: .raw, from: 0, to: 0).era == 1)
        try writer.close()
    }

    @Test("the next activity after an empty stretch is the first segment, gap or event after it")
    func nextActivity() throws {
        let directory = try StoreDirectory()
        let writer = try writer(directory)
        try writer.append(cycle: cycle(start, monotonic: 100_000), samples: [(key, 1)])
        // The clock steps forward a day.
        try writer.append(cycle: cycle(start + day, monotonic: 101_000), samples: [(key, 2)])
        try writer.flush()
        let reader = try StoreReader(path: directory.database)
        let next = try #require(try reader.nextActivity(from: start + 1000, tier: .raw, era: 0))
        #expect(next > start + 1000 && next <= start + day)
        #expect(try reader.nextActivity(from: start + day + 1, tier: .raw, era: 0) == nil)
        try writer.close()
    }

    @Test("a version 4 store reads as era 0 and gains its era columns when the writer opens it")
    func olderStoreUpgrades() throws {
        let directory = try StoreDirectory()
        var writer = try writer(directory)
        try writer.append(cycle: cycle(start, monotonic: 100_000), samples: [(key, 1)])
        try writer.close()
        let database = try SQLiteDatabase(path: directory.database)
        try database.execute("ALTER TABLE segments DROP COLUMN era; ALTER TABLE cycles DROP COLUMN era")
        try database.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
        database.close()
        let old = try StoreReader(path: directory.database)
        #expect(try times(old, era: 0) == [start] && times(old, era: 1).isEmpty && old.newestEra() == 0)
        writer = try self.writer(directory)
        try writer.append(cycle: cycle(start + 1000, monotonic: 101_000), samples: [(key, 2)])
        try writer.close()
        let upgraded = try StoreReader(path: directory.database)
        #expect(try times(upgraded, era: 0) == [start, start + 1000])
    }
}
