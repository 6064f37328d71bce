import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPromQL
import EdgewatchSQLite
import EdgewatchWire
import Foundation
import Synchronization
import Testing

@testable import EdgewatchHub

/// Batches arriving together share one SQLite commit: each under its own savepoint, so one that
/// fails is rolled back alone; series one batch of a group adds serve the next; and every batch of
/// many concurrent callers is stored exactly once.
@Suite struct GroupCommitTests {
    static let start: Int64 = 1_800_000_000_000

    func batch(_ node: String, _ minute: Int64, cpu: String = "0") -> UplinkBatch {
        let time = Self.start + minute * 60_000
        let key = SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": cpu], type: .counter)
        return UplinkBatch(
            node: node,
            stream: "metrics/raw/60s",
            sequence: time,
            tier: .raw,
            points: [(key: key, points: [(time, [Double(minute)])])],
            columns: 1
        )
    }

    func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-group-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory + "/hub.db")
    }

    @Test func aFailingBatchIsRolledBackAloneAndTheGroupsSeriesAreShared() throws {
        try withDirectory { path in
            var writer = try HubDatabaseWriter(path: path)
            try writer.registerNode("n1", secretHash: "", at: 0)
            let results = try writer.ingest([
                HubIngestRequest(batch: batch("n1", 0, cpu: "7"), receivedAt: 1),
                // Names ids the hub does not give it: its statements fail, and only its own are undone.
                HubIngestRequest(batch: batch("n1", 1), receivedAt: 1, seriesIDs: []),
                HubIngestRequest(batch: batch("n1", 2, cpu: "7"), receivedAt: 1),
                HubIngestRequest(batch: batch("n1", 2, cpu: "7"), receivedAt: 1),
            ])
            let outcomes = results.map { try? $0.get() }
            #expect(outcomes.map { $0?.stored } == [true, nil, true, false], "the replay in the same group is a duplicate")
            #expect(outcomes[0]?.added.count == 1 && outcomes[2]?.added.isEmpty == true, "the third batch used the first one's new series")
            #expect(outcomes[0]?.seriesIDs == outcomes[2]?.seriesIDs)
            #expect(try writer.database.integer("SELECT count(*) FROM batches") == 2)
            #expect(try writer.database.integer("SELECT count(*) FROM series") == 1)
            #expect(try writer.database.integer("SELECT batches FROM nodes WHERE name = 'n1'") == 2)
            #expect(try writer.database.integer("SELECT duplicates FROM nodes WHERE name = 'n1'") == 1)
            #expect(writer.ids.count == 1, "committed series are known to the next group")
            writer.database.close()
        }
    }

    @Test func concurrentCallersStoreEveryBatchOnce() throws {
        try withDirectory { path in
            let storage = try SQLiteHubStorage(path: path)
            let nodes = (0..<8).map { "n\($0)" }
            for node in nodes { try storage.registerNode(node, secretHash: "", at: 0) }
            let failures = Mutex(0)
            let stored = Mutex(0)
            // Every node's 25 minutes, each sent twice, from 16 threads at once.
            DispatchQueue.concurrentPerform(iterations: 16) { thread in
                for index in stride(from: thread, to: nodes.count * 25 * 2, by: 16) {
                    let (node, minute) = (nodes[index / 50], Int64(index % 25))
                    do {
                        if try storage.ingest(batch(node, minute), receivedAt: 0) { stored.withLock { $0 += 1 } }
                    } catch {
                        failures.withLock { $0 += 1 }
                    }
                }
            }
            #expect(failures.withLock { $0 } == 0)
            #expect(stored.withLock { $0 } == nodes.count * 25, "each batch stored once, its replay a duplicate")
            let series = try storage.select(
                [LabelMatcher(name: "__name__", operation: .equal, value: "node_cpu_seconds_total")],
                start: Self.start,
                end: Self.start + 3_600_000
            )
            #expect(series.count == nodes.count && series.allSatisfy { $0.points.map(\.value) == (0..<25).map(Double.init) })
        }
    }
}
