import EdgewatchCore
import EdgewatchEncoding
import EdgewatchStore
import Foundation

/// A temporary directory for one store, removed on deinit.
final class StoreDirectory {
    let path: String
    var database: String { path + "/store.db" }

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Database plus WAL bytes on disk.
    var bytesOnDisk: Int64 {
        [database, database + "-wal"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value ?? 0
            return total + size
        }
    }
}

/// Synthetic node: `count` series, a third counters, the rest gauges with a little noise.
struct SyntheticNode {
    var count: Int
    var keys: [SeriesKey]

    init(count: Int) {
        self.count = count
        keys = (0..<count).map { index in
            SeriesKey(
                name: index % 3 == 0 ? "test_counter_total" : "test_gauge",
                labels: ["id": String(index)],
                type: index % 3 == 0 ? .counter : .gauge
            )
        }
    }

    func samples(cycle: Int) -> [(SeriesKey, Double)] {
        keys.enumerated().map { index, key in
            if key.type == .counter { return (key, Double(cycle * (index % 7 + 1) * 512)) }
            return (key, Double(index % 5 == 0 ? (cycle / 30) % 4 : index))
        }
    }
}

func cycle(_ timestamp: Int64, boot: String = "boot-a", monotonic: Int64? = nil, synced: Bool = true) -> CycleRecord {
    CycleRecord(timestamp: timestamp, bootID: boot, monotonicNanoseconds: (monotonic ?? timestamp) * 1_000_000, synchronized: synced)
}
