import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchPromQL
import EdgewatchSQLite
import EdgewatchWire
import Foundation
import TestServers
import Testing

@testable import EdgewatchHub

/// Listings answered from the presence rows (``HubStorage/series(matching:start:end:)``) agree
/// with listings from every block of the window, on both backends, as received and compacted:
/// over a fleet whose pods come and go, batches straddling minute and hour boundaries, and
/// windows with their edges anywhere.
@Suite struct SeriesPresenceListingTests {
    static let hour: Int64 = 3_600_000
    /// Hour-aligned; batches start half a minute off the minute, so some straddle an hour.
    static let base = HubStorageContractTests.window
    static let first = base - 30 * 60_000 - 30_000

    /// Four hours of one-minute batches from two nodes: `steady` in each; pods `p0`…`p11` of
    /// `n1` living 25 minutes each, 20 minutes apart, those of `n2` five minutes each; odd pods
    /// with one point per batch, in its second half; `blip` once, just past an hour boundary.
    static func ingest(_ storage: any HubStorage) throws {
        for node in ["n1", "n2"] { try storage.registerNode(node, secretHash: "", at: 0) }
        try storage.report(NodeReport(cluster: "c1"), node: "n1")
        for minute in Int64(0)..<240 {
            let start = first + minute * 60_000
            for node in ["n1", "n2"] {
                var points = [(key: SeriesKey(name: "steady", labels: [:], type: .gauge), points: [(start, [1.0]), (start + 45_000, [2.0])])]
                for pod in 0..<12 {
                    let born = Int64(pod * 20 + (node == "n1" ? 0 : 10))
                    guard minute >= born, minute < born + (node == "n1" ? 25 : 5) else { continue }
                    let times = pod % 2 == 1 ? [start + 45_000] : [start, start + 45_000]
                    points.append((SeriesKey(name: "pod_up", labels: ["pod": "p\(pod)"], type: .gauge), times.map { ($0, [1.0]) }))
                }
                if minute == 90, node == "n2" { points.append((SeriesKey(name: "blip", labels: [:], type: .gauge), [(start + 45_000, [1.0])])) }
                let batch = UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: start, tier: .raw, points: points, columns: 1)
                #expect(try storage.ingest(batch, receivedAt: 0))
            }
        }
    }

    static func selectors() throws -> [[[LabelMatcher]]] {
        [
            [[try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]],
            [[try LabelMatcher(name: "__name__", operation: .equal, value: "pod_up")]],
            [[try LabelMatcher(name: "pod", operation: .matches, value: "p[0-3]")]],
            [[try LabelMatcher(name: "node", operation: .equal, value: "n2")]],
            [[try LabelMatcher(name: "node", operation: .notMatches, value: "n2"), try LabelMatcher(name: "pod", operation: .matches, value: ".+")]],
        ]
    }

    /// The last point ``ingest(_:)`` stores.
    static let last = first + 240 * 60_000 - 15_000
    /// A batch a minute after it, of a series of its own.
    static let late = UplinkBatch(
        node: "n1",
        stream: "metrics/raw/60s",
        sequence: last + 60_000,
        tier: .raw,
        points: [(key: SeriesKey(name: "late", labels: [:], type: .gauge), points: [(last + 60_000, [1.0])])],
        columns: 1
    )

    /// Label names (nil) and the labels whose values are listed.
    static let labels: [String?] = [nil, "__name__", "pod", "node", "cluster"]

    /// Windows starting before the data, at its start, in it and past an hour boundary, each
    /// from a second to five hours long.
    static var windows: [(Int64, Int64)] {
        var result: [(Int64, Int64)] = []
        for start in Swift.stride(from: first - 300_000, through: first + 4 * hour, by: 17 * 60_000 + 7_000) {
            for length: Int64 in [1_000, 44_000, 7 * 60_000, 50 * 60_000, 2 * hour, 5 * hour] { result.append((start, start + length)) }
        }
        return result + [(base - 15_000, base + 15_000), (base + 30_000, base + 60_000), (first, first + 4 * hour)]
    }

    @Test(arguments: HubStorageBackend.available)
    func presenceListsWhatTheBlocksList(_ backend: HubStorageBackend) throws {
        try backend.withStorageAndSQL { storage, execute throws in
            try Self.ingest(storage)
            let selectors = try Self.selectors()
            for layout in ["as received", "compacted"] {
                if layout == "compacted" { _ = try storage.compact(now: Self.first + 6 * Self.hour, budget: 10_000) }
                var answers: [[Labels]] = []
                var values: [[String]?] = []
                for (start, end) in Self.windows {
                    for selector in selectors { answers.append(try storage.series(matching: selector, start: start, end: end)) }
                    for label in Self.labels { values.append(try storage.labelValuesFromSummary(label, start: start, end: end)?.sorted()) }
                }
                // The same listings from the blocks alone: the presence mark moved past every window.
                try execute("UPDATE maintenance_marks SET mark = 4000000000000 WHERE kind = 'presence/since'")
                var (index, valueIndex) = (0, 0)
                for (start, end) in Self.windows {
                    let window = "\(layout), [\(start - Self.first), \(end - Self.first)]"
                    for selector in selectors {
                        let fromBlocks = try storage.series(matching: selector, start: start, end: end)
                        #expect(answers[index] == fromBlocks, "\(window), \(selector)")
                        index += 1
                    }
                    let every = try storage.distinctSeries(matching: selectors[0], start: start, end: end)
                    for label in Self.labels {
                        let expected = Set(every.flatMap { labels in label.map { labels[$0].map { [$0] } ?? [] } ?? labels.map(\.name) }).sorted()
                        #expect(values[valueIndex] == expected, "\(window), \(label ?? "names")")
                        #expect(try storage.labelValuesFromSummary(label, start: start, end: end) == nil)
                        valueIndex += 1
                    }
                }
                try execute("UPDATE maintenance_marks SET mark = 0 WHERE kind = 'presence/since'")
                #expect(answers.contains { $0.contains { $0["__name__"] == "blip" } })
                #expect(storage.undecodableBlocks == 0)
            }
        }
    }

    /// Selectors without a metric name but with a pattern of names, or naming nodes, read only the
    /// series of those names or nodes, and answer as a filter over every series does.
    @Test(arguments: HubStorageBackend.available)
    func namePatternsAndNodesNarrowTheSeriesRead(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try Self.ingest(storage)
            let (start, end) = (Self.first + 20 * 60_000, Self.last - 30 * 60_000)
            // A node with many series, so the few a selector takes are read by id, not in a pass.
            try storage.registerNode("n3", secretHash: "", at: 0)
            let wide = (0..<300).map { (key: SeriesKey(name: "wide", labels: ["i": "\($0)"], type: .gauge), points: [(start + 60_000, [1.0])]) }
            #expect(
                try storage.ingest(
                    UplinkBatch(node: "n3", stream: "metrics/raw/60s", sequence: 0, tier: .raw, points: wide, columns: 1),
                    receivedAt: 0
                )
            )
            let every = try storage.distinctSeries(matching: try Self.selectors()[0], start: start, end: end)
            let selectors = [
                [try LabelMatcher(name: "__name__", operation: .matches, value: "pod_.*|blip")],
                [
                    try LabelMatcher(name: "__name__", operation: .notMatches, value: "steady"),
                    try LabelMatcher(name: "node", operation: .equal, value: "n1"),
                ],
                [
                    try LabelMatcher(name: "__name__", operation: .notEqual, value: "pod_up"),
                    try LabelMatcher(name: "node", operation: .matches, value: "n.*"),
                ],
            ]
            for selector in selectors {
                let expected = every.filter { labels in selector.allSatisfy { $0.matches(labels[$0.name] ?? "") } }
                #expect(!expected.isEmpty)
                #expect(Set(try storage.series(matching: [selector], start: start, end: end)) == expected, "\(selector)")
                #expect(Set(try storage.select(selector, start: start, end: end).map(\.labels)) == expected, "\(selector)")
            }
            // A pattern that takes no name: nothing, without reading a label set.
            let none = [try LabelMatcher(name: "__name__", operation: .matches, value: "absent_.*")]
            #expect(try storage.series(matching: [none], start: start, end: end).isEmpty)
            #expect(try storage.select(none, start: start, end: end).isEmpty)
        }
    }

    /// A database made before the presence rows gets the table and a mark past its blocks at its
    /// next start: windows before it are listed from their blocks, later ones from the rows
    /// (from the blocks again while a row's list does not decode). Retention drops the rows
    /// before its marks.
    @Test func anOlderDatabaseIsListedFromItsBlocksUntilItsMark() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-presence-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/hub.db"
        let every = try Self.selectors()[0]
        let expected = try {
            let storage = try SQLiteHubStorage(path: path)
            try Self.ingest(storage)
            return try storage.series(matching: every, start: Self.first, end: Self.first + 4 * Self.hour)
        }()
        let database = try SQLiteDatabase(path: path)
        defer { database.close() }
        try database.execute("DROP TABLE series_presence; DELETE FROM maintenance_marks WHERE kind = 'presence/since'")
        let storage = try SQLiteHubStorage(path: path)
        let last = Self.last
        #expect(try database.integer("SELECT mark FROM maintenance_marks WHERE kind = 'presence/since'") == last + 1)
        #expect(try database.integer("SELECT count(*) FROM series_presence") == 0)
        #expect(try storage.series(matching: every, start: Self.first, end: Self.first + 4 * Self.hour) == expected)
        #expect(try storage.ingest(Self.late, receivedAt: 0))
        #expect(try database.integer("SELECT count(*) FROM series_presence") == 1)
        let names = try storage.series(matching: every, start: last + 1, end: last + 120_000).compactMap { $0["__name__"] }
        #expect(names == ["late"])
        // A list that does not decode: the blocks answer, and label values read every label set.
        try database.execute("UPDATE series_presence SET series = series || x'80'")
        #expect(try storage.series(matching: every, start: last + 1, end: last + 120_000).compactMap { $0["__name__"] } == ["late"])
        #expect(try storage.labelValuesFromSummary("__name__", start: last + 1, end: last + 120_000) == nil)
        let fallback = try storage.metricNamesWithPoints(start: last + 1, end: last + 120_000)
        #expect(fallback == ["late"])
        var policy = RetentionPolicy()
        policy.raw = Self.hour
        _ = try storage.retain(policy: policy, now: last + 61_000, budget: 10_000)
        #expect(try database.integer("SELECT count(*) FROM series_presence") == 1)
        _ = try storage.retain(policy: policy, now: last + 2 * Self.hour, budget: 10_000)
        #expect(try database.integer("SELECT count(*) FROM series_presence") == 0)
    }

    /// A node whose pods come and go adds a row per distinct list to an hour; once the hour has
    /// settled, upkeep leaves one (the listings above compare what the merged rows answer).
    @Test func upkeepMergesAnHoursRowsOnceItHasSettled() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-presence-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = try SQLiteHubStorage(path: directory + "/hub.db")
        try Self.ingest(storage)
        let database = try SQLiteDatabase(path: directory + "/hub.db")
        defer { database.close() }
        let hours = try database.integer("SELECT count(*) FROM (SELECT DISTINCT hour, node FROM series_presence)")
        #expect(hours == 10)
        #expect(try database.integer("SELECT count(*) FROM series_presence") > 3 * hours)
        // Upkeep an hour after the data: the last hour has not settled yet.
        _ = try storage.compact(now: Self.last + 60_000, budget: 10_000)
        #expect(try database.integer("SELECT count(*) FROM series_presence WHERE hour < \(Self.base + 3 * Self.hour)") == hours - 2)
        #expect(try database.integer("SELECT count(*) FROM series_presence WHERE hour = \(Self.base + 3 * Self.hour)") > 2)
        _ = try storage.compact(now: Self.last + Self.hour, budget: 10_000)
        #expect(try database.integer("SELECT count(*) FROM series_presence") == hours)
    }

    /// The same on PostgreSQL: the migration sets the mark past the blocks stored before it.
    @Test func anOlderPostgreSQLDatabaseIsListedFromItsBlocksUntilItsMark() throws {
        guard PostgresServer.usable else { return }
        let server = try PostgresServer()
        defer { server.stop() }
        let every = try Self.selectors()[0]
        let before = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        try Self.ingest(before)
        let expected = try before.series(matching: every, start: Self.first, end: Self.first + 4 * Self.hour)
        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        func integer(_ sql: String) throws -> Int64 {
            try pool.withConnection { connection throws(PostgresError) in try connection.query(sql).int(0, 0) }
        }
        // Back to the version before presence (the later migrations undone too).
        let presence = (PostgresHubSchema.all.firstIndex { $0.contains("CREATE TABLE series_presence") } ?? 0) + 1
        try pool.withConnection { connection throws(PostgresError) in
            try connection.executeScript(
                """
                DROP TABLE series_presence; DELETE FROM maintenance_marks WHERE kind = 'presence/since';
                ALTER TABLE nodes DROP COLUMN series_epoch CASCADE; DELETE FROM edgewatch_schema WHERE version >= \(presence);
                """
            )
        }
        let storage = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let last = Self.last
        #expect(try integer("SELECT mark FROM maintenance_marks WHERE kind = 'presence/since'") == last + 1)
        #expect(try storage.series(matching: every, start: Self.first, end: Self.first + 4 * Self.hour) == expected)
        #expect(try storage.labelValuesFromSummary(nil, start: Self.first, end: Self.first + 4 * Self.hour) == nil)
        #expect(try storage.ingest(Self.late, receivedAt: 0))
        #expect(try integer("SELECT count(*) FROM series_presence") == 1)
        #expect(try storage.series(matching: every, start: last + 1, end: last + 120_000).compactMap { $0["__name__"] } == ["late"])
        #expect(try storage.labelValuesFromSummary("__name__", start: last + 1, end: last + 120_000) == ["late"])
        // A list that does not decode: the listing looks at every series and the blocks answer.
        try pool.withConnection { connection throws(PostgresError) in
            try connection.executeScript("UPDATE series_presence SET series = series || '\\x80'::bytea")
        }
        #expect(try storage.series(matching: every, start: last + 1, end: last + 120_000).compactMap { $0["__name__"] } == ["late"])
    }
}
