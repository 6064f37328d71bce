import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchSQLite
import Foundation
import TestServers
import Testing

@testable import EdgewatchHub

/// Every query and label listing reads retention's marks. A fleet's nodes each have several
/// upkeep marks, so only the retention marks past the window's start are read, through an index:
/// the cost follows the marks that matter, not the fleet.
@Suite struct RetentionMarksTests {
    /// 2000 nodes with compaction's marks, and retention's at 1000 + the node's number on every
    /// tenth, for raw and 1 m.
    static var marks: String {
        var rows: [String] = []
        for node in 0..<2000 {
            rows.append("('n\(node)', 'compaction/raw', 5000), ('n\(node)', 'compaction/raw/merged', 5000)")
            if node % 10 == 0 { rows.append("('n\(node)', 'retention/raw', \(1000 + node)), ('n\(node)', 'retention/1m', \(1000 + node))") }
        }
        return "INSERT INTO maintenance_marks(node, kind, mark) VALUES " + rows.joined(separator: ", ")
    }

    static let late = ["n1910", "n1920", "n1930", "n1940", "n1950", "n1960", "n1970", "n1980", "n1990"]

    @Test func onlyRetentionMarksPastTheStartAreReadThroughTheIndex() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-marks-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try SQLiteHubStorage(path: directory + "/hub.db")
        let database = try SQLiteDatabase(path: directory + "/hub.db")
        defer { database.close() }
        try database.execute(Self.marks)

        #expect(try database.retentionMarks(after: 5000).isEmpty)
        let late = try database.retentionMarks(after: 2900)
        #expect(late.keys.sorted() == Self.late)
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

    /// The same on PostgreSQL: a query's context holds the retention marks past its start.
    @Test(.enabled(if: PostgresServer.usable)) func postgresReadsOnlyRetentionMarksPastTheStartThroughTheIndex() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        _ = try PostgresHubStorage(conninfo: server.url(), poolSize: 1)
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        let plan = try pool.withConnection { connection throws(PostgresError) -> [String] in
            try connection.execute(Self.marks)
            try connection.execute("ANALYZE maintenance_marks")
            let explained =
                "EXPLAIN SELECT node, kind, mark FROM maintenance_marks WHERE \(PostgresHubStorage.QueryContext.retentionMarks(after: "2900"))"
            let rows = try connection.query(explained)
            return try (0..<rows.rowCount).map { row throws(PostgresError) in try rows.string(row, 0) }
        }
        #expect(plan.contains { $0.contains("maintenance_marks_by_kind") }, "\(plan)")
        func context(after: Int64) throws -> PostgresHubStorage.QueryContext {
            try pool.withConnection { connection throws(PostgresError) in try PostgresHubStorage.QueryContext(name: nil, after: after, connection) }
        }
        #expect(try context(after: 5000).floors.isEmpty)
        let late = try context(after: 2900)
        #expect(late.floors.keys.sorted() == Self.late)
        #expect(late.floors["n1990"] == [Tier.raw.rawValue: 2990, Tier.minute.rawValue: 2990])
        #expect(late.since != nil)
        #expect(try context(after: .min).floors.count == 200)
    }
}
