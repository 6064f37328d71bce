import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire
import Synchronization
import Testing

@testable import EdgewatchHub

/// A node's resolved series table is kept while the node sends and leaves memory once it has
/// been silent for hours; its next batch is then resolved from the table the hub kept.
@Suite struct ResolvedSeriesTablesTests {
    /// A wall clock the test moves.
    final class Clock: Sendable {
        let now = Mutex<Int64>(0)
        func advance(minutes: Int64) { now.withLock { $0 += minutes * 60_000 } }
    }

    @Test func aSilentNodesTableLeavesMemory() throws {
        let clock = Clock()
        let tables = ResolvedSeriesTables { clock.now.withLock { $0 } }
        let hash = [UInt8](repeating: 7, count: 32)
        tables.remember(node: "a", hash: hash, ids: [1, 2, 3])
        tables.remember(node: "b", hash: hash, ids: [4])
        // Node a sends every half hour; b has gone quiet.
        for _ in 0..<6 {
            clock.advance(minutes: 30)
            #expect(tables.count(node: "a", hash: hash) == 3)
        }
        #expect(tables.count == 1)
        #expect(tables.count(node: "b", hash: hash) == nil)
        #expect(tables.count(node: "a", hash: [UInt8](repeating: 8, count: 32)) == nil)

        // A batch of b's naming its table, its series left out: filled in from the kept table.
        let key = SeriesKey(name: "node_load1", labels: [:], type: .gauge)
        var batch = UplinkBatch(node: "b", stream: "metrics/raw/60s", sequence: 0, tier: .raw, points: [(key: key, points: [(0, [1])])], columns: 1)
        let table = UplinkBatch.seriesTable(batch.series)
        batch.series = []
        batch.seriesReference = hash
        var asked: [String] = []
        let prepared = try tables.prepare(batch) { node, _ in
            asked.append(node)
            return table
        }
        #expect(asked == ["b"] && prepared.ids == nil && prepared.batch.series == [key])
        // Hours without any batch: nothing is held.
        clock.advance(minutes: 150)
        #expect(tables.count(node: "a", hash: hash) == nil && tables.count == 0)
    }
}
