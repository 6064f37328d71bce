import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchStore
import Testing

/// Containers come and go: the writer's memory follows the series collected in the last hour or
/// two, not every series ever seen, and the series table sheds rows no block refers to.
@Suite("Store series churn")
struct SeriesChurnTests {
    static let start: Int64 = StoreTests.start
    static let steady = SyntheticNode(count: 50)

    /// The series of container `index`: a counter and a gauge.
    static func container(_ index: Int) -> [SeriesKey] {
        let labels: Labels = ["id": "/kubepods/besteffort/pod\(index)/\(String(repeating: "c", count: 56))\(index)", "name": "job-\(index)"]
        return [
            SeriesKey(name: "container_cpu_usage_seconds_total", labels: labels, type: .counter),
            SeriesKey(name: "container_memory_working_set_bytes", labels: labels, type: .gauge),
        ]
    }

    /// One cycle per 10 s; a new container every minute, each living five minutes.
    static func samples(cycle index: Int) -> [(SeriesKey, Double)] {
        let minute = index / 6
        var samples = steady.samples(cycle: index)
        for container in max(0, minute - 4)...minute {
            for key in Self.container(container) { samples.append((key, Double(index - container * 6 + 1))) }
        }
        return samples
    }

    @Test("memory holds the series of the last hours, not all ever seen; a gone series' rollups are written when its bucket ends")
    func memoryFollowsLiveSeries() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, maxBytes: 64 << 20, intervalMilliseconds: 10_000))
        var largest = 0
        var largestKeys = 0
        let cycles = 6 * 60 * 5  // five hours: 300 containers, 600 series come and go
        for index in 0..<cycles {
            try writer.append(cycle: cycle(Self.start + Int64(index) * 10_000), samples: Self.samples(cycle: index))
            if index % 6 == 5 { try writer.flush() }
            largest = max(largest, writer.seriesInMemory)
            largestKeys = max(largestKeys, writer.seriesKeysInMemory)
        }
        try writer.flush()
        // State for the containers of one hour bucket (and those still running) besides the
        // steady series; keys only for the series collected in the last two minutes.
        #expect(largest <= 50 + (60 + 5) * 2, "largest: \(largest)")
        #expect(largestKeys <= 50 + 7 * 2, "largest number of keys: \(largestKeys)")

        // Container 7 lived in minutes 7–11 of the first hour: its 1 m and 1 h rows are on disk
        // before any shutdown, with every sample counted once.
        let reader = try StoreReader(path: directory.database)
        let keys = Set(Self.container(7))
        let ids = Set(try reader.series { keys.contains($0) }.map(\.0))
        #expect(ids.count == 2)
        let minutes = try reader.points(ids: ids, tier: .minute, from: Self.start, to: Self.start + 3_600_000)
        #expect(ids.allSatisfy { minutes[$0]?.count == 5 && minutes[$0]?.reduce(0) { $0 + $1.1[3] } == 30 })
        let hours = try reader.points(ids: ids, tier: .hour, from: Self.start, to: Self.start + 3_600_000)
        #expect(ids.allSatisfy { hours[$0]?.count == 1 && hours[$0]?.first?.1[3] == 30 })
        try writer.close()
        let after = try StoreReader(path: directory.database)
        let hoursAfter = try after.points(ids: ids, tier: .hour, from: Self.start, to: Self.start + 3_600_000)
        #expect(ids.allSatisfy { hoursAfter[$0]?.count == 1 }, "closing wrote no second row for a finished bucket")
    }

    @Test("a series that returns keeps its id; one gone while the agent was down is forgotten at the stop")
    func returningSeries() throws {
        let directory = try StoreDirectory()
        let configuration = StoreConfiguration(path: directory.database, intervalMilliseconds: 10_000)
        var writer = try StoreWriter(configuration: configuration)
        let keys = Self.container(1)
        let steady = Self.steady.samples(cycle: 0)
        for index in 0..<6 { try writer.append(cycle: cycle(Self.start + Int64(index) * 10_000), samples: steady + keys.map { ($0, 1) }) }
        // Gone for two hours, then back.
        for index in 6..<(6 * 60 * 2) { try writer.append(cycle: cycle(Self.start + Int64(index) * 10_000), samples: steady) }
        #expect(writer.seriesInMemory == 50)
        try writer.flush()
        let timestamp = Self.start + Int64(6 * 60 * 2) * 10_000
        try writer.append(cycle: cycle(timestamp), samples: steady + keys.map { ($0, 2) })
        try writer.close(now: timestamp)
        let reader = try StoreReader(path: directory.database)
        #expect(try reader.series { keys.contains($0) }.count == 2)
        let marked = try SQLiteDatabase(path: directory.database)
        #expect(try marked.integer("SELECT count(*) FROM series WHERE last_segment IS NULL") == 0, "a clean stop marks every series")
        writer = try StoreWriter(configuration: configuration)
        try writer.append(cycle: cycle(timestamp + 10_000), samples: steady)
        try writer.flush()
        #expect(try marked.integer("SELECT count(*) FROM series WHERE last_segment IS NULL") == 50, "collected again: live")
        try writer.close()
    }

    @Test("a series back within the hour continues its hour bucket: one 1 h row, every sample counted once, counter increase unbroken")
    func backWithinTheHour() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, intervalMilliseconds: 10_000))
        let counter = Self.container(3)[0]
        let steady = Self.steady.samples(cycle: 0)
        var present = 0
        // Collected in minutes 0–5 and 21–30 of the hour, counting up by 10 a cycle throughout.
        for index in 0..<(6 * 75) {
            let minute = index / 6
            let collected = minute < 6 || (21...30).contains(minute)
            if collected { present += 1 }
            try writer.append(
                cycle: cycle(Self.start + Int64(index) * 10_000),
                samples: steady + (collected ? [(counter, Double(index * 10))] : [])
            )
            if index % 6 == 5 { try writer.flush() }
        }
        try writer.flush()
        let reader = try StoreReader(path: directory.database)
        let id = try #require(try reader.series { $0 == counter }.first?.0)
        let hours = try reader.points(ids: [id], tier: .hour, from: Self.start, to: Self.start + 7_200_000)
        #expect(hours[id]?.count == 1)
        // min, max, sum (increase), count, last
        #expect(hours[id]?.first?.1[3] == Double(present))
        #expect(hours[id]?.first?.1[2] == Double((6 * 31 - 1) * 10), "the increase over the absence counts")
        let minutes = try reader.points(ids: [id], tier: .minute, from: Self.start, to: Self.start + 7_200_000)
        #expect(minutes[id]?.count == 16)
        try writer.close()
    }

    @Test("eviction deletes series no stored block refers to; every series a block names still resolves")
    func evictionDeletesSeries() throws {
        let directory = try StoreDirectory()
        let budget = StoreConfiguration.minimumBytes
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, maxBytes: budget, intervalMilliseconds: 600_000))
        let steady = SyntheticNode(count: 10)
        // 32 days at one cycle per 10 minutes, a new job every hour: past the 30-day span of a
        // 1 h segment, so the first one is evicted with the series only it named.
        let cycles = 6 * 24 * 32
        for index in 0..<cycles {
            let job = SeriesKey(name: "job_duration_seconds", labels: ["job": "j\(index / 6)"], type: .gauge)
            try writer.append(cycle: cycle(Self.start + Int64(index) * 600_000), samples: steady.samples(cycle: index) + [(job, Double(index))])
            if index % 6 == 5 { try writer.flush() }
        }
        try writer.close()
        #expect(writer.statistics.segmentsEvicted > 0)
        let database = try SQLiteDatabase(path: directory.database)
        let rows = try database.integer("SELECT count(*) FROM series")
        #expect(rows < 10 + cycles / 6, "rows left: \(rows) of \(10 + cycles / 6)")
        let reader = try StoreReader(path: directory.database)
        let known = Set(try reader.series { _ in true }.map(\.0))
        let newest = try database.integer("SELECT max(id) FROM series")
        for tier in Tier.allCases {
            let points = try reader.points(ids: Set(1...newest), tier: tier, from: Self.start - 86_400_000, to: Self.start + 40 * 86_400_000)
            #expect(!points.isEmpty)
            #expect(Set(points.keys).isSubset(of: known), "\(tier.name) blocks name deleted series")
        }
        #expect(try reader.integrityCheck() == "ok")
    }
}
