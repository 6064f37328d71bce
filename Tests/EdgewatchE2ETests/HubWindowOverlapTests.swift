import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchWire
import Foundation
import Testing

/// An import's whole window is not stored over slots of it the uplink delivered alone.
@Suite struct HubWindowOverlapTests {
    func batch(_ stream: String, _ sequence: Int64, _ timestamps: [Int64]) -> UplinkBatch {
        let key = SeriesKey(name: "node_load1", labels: [:], type: .gauge)
        return UplinkBatch(
            node: "n1",
            stream: stream,
            sequence: sequence,
            tier: .minute,
            points: [(key: key, points: timestamps.map { ($0, [1, 2, 3, 4, 5]) })],
            columns: 5
        )
    }

    /// Runs `body` on a hub database in a directory of its own, removed afterwards.
    func withStorage(_ body: (SQLiteHubStorage) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-hub-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(try SQLiteHubStorage(path: directory + "/hub.db"))
    }

    @Test func anExclusiveWindowOverSlotsOfAnotherWidthIsADuplicate() throws {
        try withStorage { storage throws in
            let window: Int64 = 1_800_000_000_000 / 600_000 * 600_000
            // The uplink sent the window's fourth minute alone.
            #expect(try storage.ingest(batch("metrics/1m/60s", window + 180_000, [window + 180_000]), receivedAt: 0))
            // An import of the whole window: held in part, so nothing is stored (the uplink sends the rest).
            let whole = batch("metrics/1m/600s", window, (0..<10).map { window + $0 * 60_000 })
            #expect(try !storage.ingest(whole, receivedAt: 0, exclusive: true))
            // The next window, not touched by any slot, is stored; the same key again is a duplicate.
            let next = batch("metrics/1m/600s", window + 600_000, [window + 600_000])
            #expect(try storage.ingest(next, receivedAt: 0, exclusive: true))
            #expect(try !storage.ingest(next, receivedAt: 0, exclusive: true))
            // A slot that ends where a window starts does not touch it (a part-split window's name is read too).
            #expect(try storage.ingest(batch("metrics/1m/60s", window + 1_140_000, [window + 1_140_000]), receivedAt: 0))
            #expect(try storage.ingest(batch("metrics/1m/600s/part1of2", window + 1_200_000, [window + 1_200_000]), receivedAt: 0, exclusive: true))
            // Without `exclusive` (the uplink's own batches) only the key counts.
            #expect(try storage.ingest(batch("metrics/1m/600s", window + 2_400_000, [window + 2_400_000]), receivedAt: 0))
        }
    }

    @Test func aGapSentWithEachWindowItReachesCountsOnce() throws {
        try withStorage { storage throws in
            let window: Int64 = 1_800_000_000_000 / 60_000 * 60_000
            try storage.registerNode("n1", secretHash: "", at: 0)
            let gap = UplinkBatch.Gap(from: window + 30_000, to: window + 150_000, reason: "1m evicted")
            for minute: Int64 in 0..<3 {
                var minuteBatch = batch("metrics/1m/60s", window + minute * 60_000, [])
                minuteBatch.gaps = [gap]
                #expect(try storage.ingest(minuteBatch, receivedAt: 0))
            }
            #expect(try storage.nodes().first { $0.name == "n1" }?.gaps == 1)
        }
    }
}
