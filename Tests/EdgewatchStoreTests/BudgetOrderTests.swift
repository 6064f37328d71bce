import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import Testing

@Suite("Store budget order")
struct BudgetOrderTests {
    static let start: Int64 = 1_732_003_200_000  // an hour boundary

    /// Many series with container-sized labels: their rows take most of a small budget.
    static func keys(_ count: Int) -> [SeriesKey] {
        (0..<count).map { index in
            let id = String(repeating: String(index, radix: 16), count: 64).prefix(64)
            return SeriesKey(
                name: "container_memory_working_set_bytes",
                labels: ["id": "/kubepods/burstable/pod\(index)/\(id)", "container": "app-\(index)", "namespace": "default"],
                type: .gauge
            )
        }
    }

    @Test("a budget mostly taken by series evicts raw data only: the 1 m summaries of evicted minutes stay")
    func summariesOutliveRaw() throws {
        let directory = try StoreDirectory()
        let budget: Int64 = 256 * 1024
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, maxBytes: budget, intervalMilliseconds: 1_000))
        let keys = Self.keys(125)
        let cycles = 15 * 60
        var largest: Int64 = 0
        for index in 0..<cycles {
            let samples = keys.enumerated().map { offset, key in (key, Double((index * 7919 + offset * 104_729) % 1_000_003)) }
            try writer.append(cycle: cycle(Self.start + Int64(index) * 1_000), samples: samples)
            if index % 3 == 2 {
                try writer.flush()
                largest = max(largest, directory.bytesOnDisk)
            }
        }
        try writer.close()
        #expect(largest <= budget, "store grew to \(largest) bytes with a \(budget) byte budget")
        let reader = try StoreReader(path: directory.database)
        let gaps = try reader.gaps(from: Self.start, to: .max)
        let evictedRaw = gaps.filter { $0.tier == .raw && $0.kind == .evicted }
        #expect(evictedRaw.count >= 3, "raw data was evicted again and again")
        #expect(!gaps.contains { $0.tier != .raw && $0.kind == .evicted }, "summaries were evicted: \(gaps.filter { $0.tier != .raw })")
        let ids = Set(try reader.series { _ in true }.map(\.0))
        // Everything raw may be gone after the last flush: then every minute needs its summary.
        let oldestRaw = try reader.oldestTimestamp(tier: .raw) ?? Self.start + Int64(cycles) * 1_000
        let minutes = try reader.points(ids: ids, tier: .minute, from: Self.start, to: oldestRaw - 1)
        let covered = Set(minutes.values.flatMap { $0.map(\.0) })
        let evictedMinutes = (oldestRaw - Self.start) / 60_000
        #expect(evictedMinutes >= 2, "raw was evicted over whole minutes")
        #expect(Int64(covered.count) >= evictedMinutes, "each minute whose raw data is gone has its 1 m summary")
        #expect(try reader.integrityCheck() == "ok")
    }

    @Test("series that alone fill the budget: the flush fails naming store.max_bytes, not a full disk")
    func budgetTooSmallForTheSeries() throws {
        let directory = try StoreDirectory()
        let budget: Int64 = 256 * 1024
        let writer = try StoreWriter(configuration: StoreConfiguration(path: directory.database, maxBytes: budget, intervalMilliseconds: 1_000))
        let keys = Self.keys(600)
        var failure: StoreError?
        for index in 0..<20 where failure == nil {
            do {
                try writer.append(cycle: cycle(Self.start + Int64(index) * 1_000), samples: keys.map { ($0, Double(index)) })
                try writer.flush()
            } catch {
                failure = error
            }
        }
        let message = failure.map { "\($0)" } ?? ""
        #expect(message.contains("store.max_bytes (262144 bytes) is too small for 600 series"), "\(message)")
        #expect(directory.bytesOnDisk <= budget)
    }
}
