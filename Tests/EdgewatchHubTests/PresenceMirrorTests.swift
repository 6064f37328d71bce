import EdgewatchCore
import EdgewatchEncoding
import EdgewatchSQLite
import EdgewatchWire
import Foundation
import Testing

@testable import EdgewatchHub

/// SQLite's label listings keep the presence rows between listings (``PresenceMirror``) and each
/// node's cluster (``NodeClustersCache``): what ingest, upkeep and reports commit meanwhile is in
/// the next listing.
@Suite struct PresenceMirrorTests {
    static let hour: Int64 = 3_600_000
    static let base = HubStorageContractTests.window

    func batch(_ node: String, _ name: String, at time: Int64) -> UplinkBatch {
        UplinkBatch(
            node: node,
            stream: "metrics/raw/60s",
            sequence: time,
            tier: .raw,
            points: [(key: SeriesKey(name: name, labels: [:], type: .gauge), points: [(time, [1.0])])],
            columns: 1
        )
    }

    @Test func theNextListingSeesWhatWasCommittedSince() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-mirror-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = try SQLiteHubStorage(path: directory + "/hub.db")
        let database = try SQLiteDatabase(path: directory + "/hub.db", readOnly: true)
        defer { database.close() }
        let (start, hourEnd) = (Self.base, Self.base + Self.hour - 1)
        for node in ["n1", "n2"] { try storage.registerNode(node, secretHash: "", at: 0) }
        #expect(try storage.ingest(batch("n1", "a", at: start + 60_000), receivedAt: 0))
        #expect(try storage.labelValuesFromSummary("__name__", start: start, end: hourEnd) == ["a"])
        // A row added to a held hour, and one widened: the window past the first batch has its point.
        #expect(try storage.ingest(batch("n1", "b", at: start + 120_000), receivedAt: 0))
        #expect(try storage.ingest(batch("n2", "a", at: start + 120_000), receivedAt: 0))
        #expect(try storage.labelValuesFromSummary("__name__", start: start, end: hourEnd)?.sorted() == ["a", "b"])
        #expect(try storage.ingest(batch("n1", "a", at: start + 600_000), receivedAt: 0))
        #expect(try storage.labelValuesFromSummary("node", start: start + 500_000, end: start + 700_000) == ["n1"])
        #expect(try storage.labelValuesFromSummary("__name__", start: start + 500_000, end: start + 700_000) == ["a"])
        #expect(storage.presenceMirror.count == (try database.integer("SELECT count(*) FROM series_presence")))
        // A report changes a node's cluster.
        #expect(try storage.labelValuesFromSummary("cluster", start: start, end: hourEnd) == [])
        try storage.report(NodeReport(cluster: "east"), node: "n1")
        #expect(try storage.labelValuesFromSummary("cluster", start: start, end: hourEnd) == ["east"])
        try storage.report(NodeReport(cluster: "west"), node: "n1")
        #expect(try storage.labelValuesFromSummary("cluster", start: start, end: hourEnd) == ["west"])
        // Upkeep merges the settled hour's rows of a node into one: the listing follows.
        _ = try storage.compact(now: start + 3 * Self.hour, budget: 10_000)
        let rows = try database.integer("SELECT count(*) FROM series_presence")
        #expect(rows == 2)
        #expect(try storage.labelValuesFromSummary("__name__", start: start, end: hourEnd)?.sorted() == ["a", "b"])
        #expect(storage.presenceMirror.count == rows)
        #expect(try storage.labelValuesFromSummary("node", start: start + 500_000, end: start + 700_000) == ["n1"])
        // Windows over several hours, and over more than a week: the hours with rows.
        #expect(try storage.ingest(batch("n2", "c", at: start + Self.hour + 60_000), receivedAt: 0))
        #expect(try storage.labelValuesFromSummary("__name__", start: start, end: start + 2 * Self.hour)?.sorted() == ["a", "b", "c"])
        #expect(try storage.labelValuesFromSummary("__name__", start: start + Self.hour, end: start + 2 * Self.hour) == ["c"])
        let month = 30 * 24 * Self.hour
        #expect(try storage.labelValuesFromSummary("__name__", start: start - month, end: start + month)?.sorted() == ["a", "b", "c"])
        #expect(try storage.labelValuesFromSummary("node", start: .min, end: .max)?.sorted() == ["n1", "n2"])
        #expect(storage.presenceMirror.count == (try database.integer("SELECT count(*) FROM series_presence")))
    }
}
