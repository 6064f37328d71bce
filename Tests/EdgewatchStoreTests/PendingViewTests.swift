import EdgewatchCore
import EdgewatchEncoding
import Testing

@testable import EdgewatchStore

/// What the uplink reads of the writer's memory before a flush commits it.
@Suite struct PendingViewTests {
    func configuration(_ directory: StoreDirectory) -> StoreConfiguration {
        StoreConfiguration(path: directory.database, maxBytes: 8 << 20, intervalMilliseconds: 1000)
    }

    @Test func bufferedRowsAreVisibleUntilTheFlushCommitsThem() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: configuration(directory))
        let key = SeriesKey(name: "test_gauge", labels: ["id": "1"], type: .gauge)
        let start: Int64 = 1_800_000_000_000
        for index in 0..<130 {
            try writer.append(cycle: cycle(start + Int64(index) * 1000), samples: [(key, Double(index))])
        }
        let view = writer.pendingView(tier: .raw, from: start + 10_000, to: start + 20_000)
        #expect(view.newestCycle == start + 129_000)
        let rows = try #require(view.points.values.first)
        #expect(rows.map(\.0) == (10..<20).map { start + Int64($0) * 1000 })
        #expect(rows.map { $0.1[0] } == (10..<20).map(Double.init))
        // Minute summaries of the two closed minutes; the third is still open (not buffered).
        let minutes = writer.pendingView(tier: .minute, from: start, to: start + 180_000)
        #expect(minutes.points.values.first?.map(\.0) == [start, start + 60_000])
        #expect(minutes.points.values.first?.first?.1.count == 5)
        try writer.flush()
        #expect(writer.pendingView(tier: .raw, from: 0, to: .max).points.isEmpty)
        #expect(writer.pendingView(tier: .raw, from: 0, to: .max).newestCycle == nil)
        try writer.close()
    }

    @Test func rowsTakenBeforeTheFirstSyncCarryTheCorrectionTheFlushWillApply() throws {
        let directory = try StoreDirectory()
        let writer = try StoreWriter(configuration: configuration(directory))
        let key = SeriesKey(name: "test_gauge", labels: [:], type: .gauge)
        // Booted three days behind, unsynchronised; then NTP steps the clock forward.
        let behind: Int64 = 1_800_000_000_000 - 3 * 86_400_000
        let step: Int64 = 3 * 86_400_000
        for index in 0..<5 {
            try writer.append(cycle: cycle(behind + Int64(index) * 1000, monotonic: Int64(index) * 1000, synced: false), samples: [(key, 1)])
        }
        try writer.append(cycle: cycle(behind + step + 5000, monotonic: 5000, synced: true), samples: [(key, 2)])
        let view = writer.pendingView(tier: .raw, from: 0, to: .max)
        #expect(view.points.values.first?.map(\.0) == (0...5).map { behind + step + Int64($0) * 1000 })
        #expect(view.newestCycle == behind + step + 5000)
        try writer.flush()
        let reader = try StoreReader(path: directory.database)
        let stored = try reader.points(ids: Set(try reader.series { _ in true }.map(\.0)), tier: .raw, from: 0, to: .max)
        #expect(stored.values.first?.map(\.0) == view.points.values.first?.map(\.0))
        try writer.close()
    }
}
