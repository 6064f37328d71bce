import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import Foundation
import Testing

@testable import EdgewatchUplink

@Suite("Uplink batch builder")
struct UplinkBatchBuilderTests {
    static let start: Int64 = 1_732_003_200_000  // an hour boundary

    /// A store with samples at 0 s, 10 s and 300 s: a not-collected gap from 20 s to 300 s.
    static func storeWithGap() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-builder-\(UUID().uuidString).db").path
        let writer = try StoreWriter(configuration: StoreConfiguration(path: path, intervalMilliseconds: 10_000))
        let key = SeriesKey(name: "node_load1", labels: [:], type: .gauge)
        for offset: Int64 in [0, 10_000, 300_000] {
            let cycle = CycleRecord(
                timestamp: start + offset,
                bootID: "boot-a",
                monotonicNanoseconds: (start + offset) * 1_000_000,
                synchronized: true
            )
            try writer.append(cycle: cycle, samples: [(key, 1)])
        }
        try writer.close()
        return path
    }

    @Test("a window with only a gap goes up at the asked tier, not as a downgrade to an empty coarser tier")
    func gapOnlyWindow() throws {
        let path = try Self.storeWithGap()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let builder = UplinkBatchBuilder(reader: try StoreReader(path: path), node: "n")
        let from = Self.start + 120_000
        let batch = try #require(try builder.batch(stream: "s", sequence: from, from: from, to: from + 1_000, tier: .raw))
        #expect(batch.tier == .raw)
        #expect(batch.downgradedFrom == nil)
        #expect(batch.sampleCount == 0)
        #expect(batch.gaps.map(\.reason) == ["raw not_collected"])
        let first = try #require(try builder.batch(stream: "s", sequence: Self.start, from: Self.start, to: Self.start + 1_000, tier: .raw))
        #expect(first.tier == .raw && first.sampleCount == 1)
    }
}
