import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import Testing

@Suite("SQLite store")
struct StoreTests {
    static let start: Int64 = 1_732_003_200_000  // an hour boundary

    @Test("samples flushed are read back exactly, with 1 m and 1 h rollups (counters reset-aware)")
    func roundTrip() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, intervalMilliseconds: 10_000))
        let gauge = SeriesKey(name: "node_load1", labels: [:], type: .gauge)
        let counter = SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": "0", "mode": "idle"], type: .counter)
        var counterValue = 100.0
        for index in 0..<360 {
            counterValue = index == 200 ? 5 : counterValue + 10
            try writer.append(cycle: cycle(Self.start + Int64(index) * 10_000), samples: [(gauge, Double(index % 7) / 4), (counter, counterValue)])
            if index % 6 == 5 { try writer.flush() }
        }
        try writer.close()

        let reader = try StoreReader(path: directory.database)
        let series = try reader.series { _ in true }
        #expect(series.map(\.1) == [gauge, counter])
        let raw = try reader.points(ids: Set(series.map(\.0)), tier: .raw, from: Self.start, to: Self.start + 3_600_000)
        let gaugePoints = try #require(raw[series[0].0])
        #expect(gaugePoints.count == 360)
        #expect(gaugePoints[13].0 == Self.start + 130_000)
        #expect(gaugePoints[13].1 == [Double(13 % 7) / 4])
        let minutes = try reader.points(ids: [series[1].0], tier: .minute, from: Self.start, to: Self.start + 3_600_000)
        let counterMinutes = try #require(minutes[series[1].0])
        #expect(counterMinutes.count == 60)
        // min, max, sum (increase), count, last; the bucket holding the reset counts 5 as its increase.
        let total = counterMinutes.reduce(0) { $0 + $1.1[2] }
        #expect(total == Double(199 * 10 + 5 + 159 * 10))
        #expect(counterMinutes.allSatisfy { $0.1[3] == 6 })
        let hours = try reader.points(ids: [series[0].0], tier: .hour, from: Self.start - 3_600_000, to: Self.start + 3_600_000)
        #expect(hours[series[0].0]?.reduce(0) { $0 + $1.1[3] } == 360)
        #expect(try reader.integrityCheck() == "ok")
    }

    @Test("raw history costs at most 2 bytes per sample on disk")
    func bytesPerSample() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, maxBytes: 1 << 30))
        let node = SyntheticNode(count: 1000)
        let cycles = 360
        for index in 0..<cycles {
            try writer.append(cycle: cycle(Self.start + Int64(index) * 10_000), samples: node.samples(cycle: index))
            if index % 6 == 5 { try writer.flush() }
        }
        try writer.flush()
        let raw = Double(writer.statistics.blockBytes[.raw] ?? 0)
        let perSample = raw / Double(cycles * node.count)
        #expect(perSample <= 2.0, "raw block bytes per sample: \(perSample)")
        try writer.close()
        let onDisk = Double(directory.bytesOnDisk) / Double(cycles * node.count)
        #expect(onDisk <= 2.0 * 2.2, "whole file per raw sample (rollups and schema included): \(onDisk)")
    }

    @Test("a tiny budget is never exceeded; rollups survive for evicted raw ranges; gaps say so")
    func budget() throws {
        let directory = try StoreDirectory()
        let budget: Int64 = 512 * 1024
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, maxBytes: budget, intervalMilliseconds: 60_000))
        let node = SyntheticNode(count: 60)
        let days = 3
        let cycles = days * 24 * 60
        var largest: Int64 = 0
        for index in 0..<cycles {
            try writer.append(cycle: cycle(Self.start + Int64(index) * 60_000), samples: node.samples(cycle: index))
            if index % 10 == 9 {
                try writer.flush()
                largest = max(largest, directory.bytesOnDisk)
            }
        }
        try writer.close()
        largest = max(largest, directory.bytesOnDisk)
        #expect(largest <= budget, "store grew to \(largest) bytes with a \(budget) byte budget")
        #expect(writer.statistics.segmentsEvicted > 0)

        let reader = try StoreReader(path: directory.database)
        let end = Self.start + Int64(cycles) * 60_000
        let gaps = try reader.gaps(from: Self.start, to: end)
        let evictedRaw = gaps.filter { $0.tier == .raw && $0.kind == .evicted }
        #expect(!evictedRaw.isEmpty)
        let firstEvicted = try #require(evictedRaw.first)
        let ids = Set(try reader.series { _ in true }.map(\.0))
        let raw = try reader.points(ids: ids, tier: .raw, from: firstEvicted.start, to: firstEvicted.end)
        #expect(raw.isEmpty)
        let hourly = try reader.points(ids: ids, tier: .hour, from: firstEvicted.start, to: firstEvicted.end)
        #expect(!hourly.isEmpty, "1 h rollups must cover the evicted raw range")
        #expect(try reader.integrityCheck() == "ok")
    }

    @Test("collection pauses and restarts are recorded as not-collected gaps")
    func collectionGaps() throws {
        let directory = try StoreDirectory()
        let key = SeriesKey(name: "x", labels: [:], type: .gauge)
        do {
            let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, intervalMilliseconds: 10_000))
            try writer.append(cycle: cycle(Self.start), samples: [(key, 1)])
            try writer.append(cycle: cycle(Self.start + 10_000), samples: [(key, 1)])
            try writer.append(cycle: cycle(Self.start + 300_000), samples: [(key, 1)])
            try writer.close()
        }
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, intervalMilliseconds: 10_000))
        try writer.append(cycle: cycle(Self.start + 900_000, boot: "boot-b", monotonic: 5_000), samples: [(key, 0)])
        try writer.close()
        let gaps = try StoreReader(path: directory.database).gaps(from: 0, to: .max)
        #expect(
            gaps == [
                GapRecord(tier: .raw, kind: .notCollected, start: Self.start + 20_000, end: Self.start + 300_000),
                GapRecord(tier: .raw, kind: .notCollected, start: Self.start + 310_000, end: Self.start + 900_000),
            ]
        )
        let value = try StoreReader(path: directory.database).points(ids: [1], tier: .raw, from: Self.start + 900_000, to: Self.start + 900_000)
        #expect(value[1]?.first?.1 == [0], "a stored 0 is a value, not a gap")
    }

    @Test("wall-clock steps of ±1 day are recorded as events and do not corrupt the series")
    func clockSteps() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, intervalMilliseconds: 10_000))
        let key = SeriesKey(name: "x", labels: [:], type: .gauge)
        let day: Int64 = 86_400_000
        var monotonic: Int64 = 1_000
        var wall = Self.start
        for (step, value) in [(Int64(0), 1.0), (0, 2), (day, 3), (0, 4), (-day, 5), (0, 6)] {
            monotonic += 10_000
            wall += 10_000 + step
            try writer.append(cycle: cycle(wall, monotonic: monotonic), samples: [(key, value)])
        }
        try writer.close()
        let reader = try StoreReader(path: directory.database)
        let events = try reader.events(matching: EventFilter(reason: "ClockJump"))
        #expect(events.count == 2)
        #expect(events.contains { $0.message.contains("+86400.0 s") && $0.type == "Warning" && $0.source == .node })
        #expect(events.contains { $0.message.contains("-86400.0 s") && $0.object.kind == "Node" })
        let points = try reader.points(ids: [1], tier: .raw, from: 0, to: .max)[1] ?? []
        #expect(points.map(\.1[0]).sorted() == [1, 2, 3, 4, 5, 6])
        #expect(try reader.gaps(from: 0, to: .max).isEmpty)
    }

    @Test("samples taken before the first NTP sync on a board without RTC are corrected once it syncs")
    func presyncCorrection() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, intervalMilliseconds: 10_000))
        let key = SeriesKey(name: "x", labels: [:], type: .gauge)
        // Booted believing it is the fake-hwclock time, two days behind the truth.
        let wrong: Int64 = Self.start - 2 * 86_400_000
        for index in 0..<5 {
            try writer.append(
                cycle: cycle(wrong + Int64(index) * 10_000, monotonic: Int64(index) * 10_000, synced: false),
                samples: [(key, Double(index))]
            )
        }
        try writer.flush()
        // NTP syncs: the wall clock steps forward by two days between cycles 4 and 5.
        for index in 5..<8 {
            try writer.append(
                cycle: cycle(Self.start + Int64(index) * 10_000, monotonic: Int64(index) * 10_000, synced: true),
                samples: [(key, Double(index))]
            )
        }
        try writer.close()
        let points = try StoreReader(path: directory.database).points(ids: [1], tier: .raw, from: 0, to: .max)[1] ?? []
        #expect(points.map(\.0) == (0..<8).map { Self.start + Int64($0) * 10_000 })
        #expect(points.map(\.1[0]) == (0..<8).map(Double.init))
        let reader = try StoreReader(path: directory.database)
        let cycles = try reader.cycleTimestamps(from: 0, to: .max)
        #expect(cycles.first == Self.start)
        // The bounds readers (the uplink's plan, query) start from are the corrected ones, counted once.
        let bounds = try #require(try reader.cycleBounds())
        #expect(bounds.first == Self.start && bounds.last == Self.start + 70_000)
        #expect(try reader.oldestTimestamp(tier: .raw) == Self.start)
    }

    @Test("a budget below the minimum is refused with the expected form")
    func tooSmall() throws {
        let directory = try StoreDirectory()
        #expect(throws: StoreError.self) { try StoreWriter(configuration: StoreConfiguration(path: directory.database, maxBytes: 1000)) }
    }
}
