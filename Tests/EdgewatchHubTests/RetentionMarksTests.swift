import EdgewatchEncoding
import EdgewatchSQLite
import Foundation
import Testing

@testable import EdgewatchHub

/// Every SQLite query and label listing reads retention's marks. A fleet's nodes each have
/// several upkeep marks, so only the retention marks past the window's start are read, through
/// an index: the cost follows the marks that matter, not the fleet.
@Suite struct RetentionMarksTests {
    @Test func onlyRetentionMarksPastTheStartAreReadThroughTheIndex() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-marks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try SQLiteHubStorage(path: directory + "/hub.db")
        let database = try SQLiteDatabase(path: directory + "/hub.db")
        defer { database.close() }
        // 2000 nodes with compaction's marks, and retention's at 1000 + the node's number on
        // every tenth, for raw and 1 m.
        var rows: [String] = []
        for node in 0..<2000 {
            rows.append("('n\(node)', 'compaction/raw', 5000), ('n\(node)', 'compaction/raw/merged', 5000)")
            if node % 10 == 0 { rows.append("('n\(node)', 'retention/raw', \(1000 + node)), ('n\(node)', 'retention/1m', \(1000 + node))") }
        }
        try database.execute("INSERT INTO maintenance_marks(node, kind, mark) VALUES " + rows.joined(separator: ", "))

        #expect(try database.retentionMarks(after: 5000).isEmpty)
        let late = try database.retentionMarks(after: 2900)
        #expect(late.keys.sorted() == ["n1910", "n1920", "n1930", "n1940", "n1950", "n1960", "n1970", "n1980", "n1990"])
        #expect(late["n1990"] == [Tier.raw.rawValue: 2990, Tier.minute.rawValue: 2990])
        #expect(try database.retentionMarks(after: .min).count == 200)

        let plan = try database.statement("EXPLAIN QUERY PLAN " + SQLiteDatabase.retentionMarksAfter)
        defer { plan.reset() }
        var details: [String] = []
        while try plan.step() { details.append(plan.string(3)) }
        #expect(
            details.contains { $0.hasPrefix("SEARCH maintenance_marks USING COVERING INDEX maintenance_marks_by_kind (kind=? AND mark>?)") },
            "\(details)"
        )
    }
}
