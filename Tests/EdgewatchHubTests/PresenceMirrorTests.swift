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
        try Self.follow(writer: storage, lister: storage, mirror: storage.presenceMirror) {
            Int(try database.integer("SELECT count(*) FROM series_presence"))
        }
    }

    /// `lister`'s listings, after what `writer` commits (the same store, or another replica):
    /// rows added and widened, reports, upkeep's merges, windows of several hours; its `mirror`
    /// holds what the database does (`rows`).
    static func follow(writer: any HubStorage, lister: any HubStorage, mirror: PresenceMirror, rows: () throws -> Int) throws {
        let batch = PresenceMirrorTests().batch
        let (start, hourEnd) = (Self.base, Self.base + Self.hour - 1)
        for node in ["n1", "n2"] { try writer.registerNode(node, secretHash: "", at: 0) }
        #expect(try writer.ingest(batch("n1", "a", start + 60_000), receivedAt: 0))
        #expect(try lister.labelValuesFromSummary("__name__", start: start, end: hourEnd) == ["a"])
        // A row added to a held hour, and one widened: the window past the first batch has its point.
        #expect(try writer.ingest(batch("n1", "b", start + 120_000), receivedAt: 0))
        #expect(try writer.ingest(batch("n2", "a", start + 120_000), receivedAt: 0))
        #expect(try lister.labelValuesFromSummary("__name__", start: start, end: hourEnd)?.sorted() == ["a", "b"])
        #expect(try writer.ingest(batch("n1", "a", start + 600_000), receivedAt: 0))
        #expect(try lister.labelValuesFromSummary("node", start: start + 500_000, end: start + 700_000) == ["n1"])
        #expect(try lister.labelValuesFromSummary("__name__", start: start + 500_000, end: start + 700_000) == ["a"])
        #expect(mirror.count == (try rows()))
        // A report changes a node's cluster.
        #expect(try lister.labelValuesFromSummary("cluster", start: start, end: hourEnd) == [])
        try writer.report(NodeReport(cluster: "east"), node: "n1")
        #expect(try lister.labelValuesFromSummary("cluster", start: start, end: hourEnd) == ["east"])
        try writer.report(NodeReport(cluster: "west"), node: "n1")
        #expect(try lister.labelValuesFromSummary("cluster", start: start, end: hourEnd) == ["west"])
        // Upkeep merges the settled hour's rows of a node into one: the listing follows, and the
        // rows it deleted are no longer held.
        _ = try writer.compact(now: start + 3 * Self.hour, budget: 10_000)
        #expect(try rows() == 2)
        #expect(try lister.labelValuesFromSummary("__name__", start: start, end: hourEnd)?.sorted() == ["a", "b"])
        #expect(mirror.count == 2)
        #expect(try lister.labelValuesFromSummary("node", start: start + 500_000, end: start + 700_000) == ["n1"])
        // Windows over several hours, and over more than a week: the hours with rows.
        #expect(try writer.ingest(batch("n2", "c", start + Self.hour + 60_000), receivedAt: 0))
        #expect(try lister.labelValuesFromSummary("__name__", start: start, end: start + 2 * Self.hour)?.sorted() == ["a", "b", "c"])
        #expect(try lister.labelValuesFromSummary("__name__", start: start + Self.hour, end: start + 2 * Self.hour) == ["c"])
        let month = 30 * 24 * Self.hour
        #expect(try lister.labelValuesFromSummary("__name__", start: start - month, end: start + month)?.sorted() == ["a", "b", "c"])
        #expect(try lister.labelValuesFromSummary("node", start: .min, end: .max)?.sorted() == ["n1", "n2"])
        #expect(mirror.count == (try rows()))
    }
}

extension PresenceMirrorTests {
    /// The mirror numbers nodes and lists; once many numbers name nothing it holds (rows whose
    /// series changed), it numbers them again, and what listings learned of the lists follows.
    @Test func listsNoRowNamesAreForgottenAndWhatWasLearnedFollows() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-mirror-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = try SQLiteHubStorage(path: directory + "/hub.db")
        let start = Self.base
        for node in ["n1", "n2", "n3"] {
            try storage.registerNode(node, secretHash: "", at: 0)
            #expect(try storage.ingest(batch(node, "a", at: start + 60_000), receivedAt: 0))
        }
        let database = try SQLiteDatabase(path: directory + "/hub.db")
        defer { database.close() }
        let mirror = PresenceMirror(renumberedPast: 2)
        let hours = start...start
        func window(_ generation: Int?) throws -> PresenceWindow {
            try mirror.window(hours: hours, start: start, end: start + Self.hour - 1, generation: generation, database)
        }
        let first = try window(nil)
        #expect(first.rows.count == 3 && mirror.numbered == (3, 3) && first.memo.contents.isEmpty)
        let content = ListContent(ListContent.Key(pairs: [.init(name: "__name__", value: "a")], hasNode: true), number: 7) {
            ValueGroup($0, number: 8)
        }
        let learned = Dictionary(uniqueKeysWithValues: first.rows.map { ($0.list, ListLabels(shared: content, carriers: [:], nodes: [])) })
        mirror.learn(learned, generation: 1, numbering: first.numbering)
        #expect(try window(1).memo.contents == [7, 7, 7] && (try window(2).memo.contents.isEmpty) && (try window(nil).memo.contents.isEmpty))
        // Each change of a row's list numbers a new one; past 2 × 3 + 2 numbers, those no row
        // names are forgotten.
        for round in 1...3 {
            let rowids = Set(try rowids(database))
            try database.execute("UPDATE series_presence SET digest = randomblob(32)")
            mirror.note(rowids)
            try mirror.refresh(database)
            let now = try window(1)
            #expect(now.rows.count == 3 && Set(now.rows.map { now.nodes[$0.node] }) == ["n1", "n2", "n3"])
            #expect(mirror.numbered.lists == [6, 3, 6][round - 1])
            // The window numbered afresh gives its rows in the new numbers.
            #expect(now.rows.allSatisfy { $0.list < now.digests.count && $0.node < now.nodes.count })
        }
        // The renumbered lists are new ones: nothing learned of the old lists names them.
        let now = try window(1)
        #expect(now.rows.allSatisfy { $0.list < now.digests.count } && now.memo.labels.isEmpty && now.memo.contents.allSatisfy { $0 == 0 })
        // What a listing learned under the old numbers is not kept.
        mirror.learn(learned, generation: 1, numbering: first.numbering)
        #expect(try window(1).memo.labels.isEmpty && now.numbering != first.numbering)
        // What was learned of lists still held follows them when they are numbered again.
        mirror.learn(
            Dictionary(uniqueKeysWithValues: now.rows.map { ($0.list, ListLabels(shared: content, carriers: [:], nodes: [])) }),
            generation: 1,
            numbering: now.numbering
        )
        let changed = try #require(try rowids(database).first)
        for _ in 0..<3 {
            try database.execute("UPDATE series_presence SET digest = randomblob(32) WHERE rowid = \(changed)")
            mirror.note([changed])
            try mirror.refresh(database)
            _ = try window(1)
        }
        let renumbered = try window(1)
        let node = try database.text("SELECT node FROM series_presence WHERE rowid = \(changed)")
        #expect(mirror.numbered == (3, 3))
        for row in renumbered.rows {
            let known = renumbered.memo.contents.indices.contains(row.list) ? renumbered.memo.contents[row.list] : 0
            #expect(known == (renumbered.nodes[row.node] == node ? 0 : 7) && (renumbered.memo.labels[row.list]?.content ?? 0) == known)
        }
    }

    @Test("a window gives its nodes' order by name, made again once nodes are numbered; node listings come in that order")
    func nodesComeInNameOrder() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-mirror-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let storage = try SQLiteHubStorage(path: directory + "/hub.db")
        let start = Self.base
        // Each node listed as it joins: the storage's mirror numbers them as they come.
        func join(_ nodes: [String]) throws {
            for node in nodes {
                try storage.registerNode(node, secretHash: "", at: 0)
                #expect(try storage.ingest(batch(node, "a", at: start + 60_000), receivedAt: 0))
                #expect(try storage.labelValuesFromSummary("node", start: start, end: start + Self.hour - 1)?.contains(node) == true)
            }
        }
        try join(["n3", "n10", "n1"])
        let database = try SQLiteDatabase(path: directory + "/hub.db")
        defer { database.close() }
        let mirror = PresenceMirror(renumberedPast: 2)
        func ordered() throws -> [String] {
            let window = try mirror.window(hours: start...start, start: start, end: start + Self.hour - 1, generation: nil, database)
            #expect(window.nodeOrder.count == window.nodes.count)
            return window.nodeOrder.map { window.nodes[$0] }
        }
        #expect(try ordered() == ["n1", "n10", "n3"])
        try join(["n2", "m9"])
        mirror.note(Set(try rowids(database)))
        try mirror.refresh(database)
        #expect(try ordered() == ["m9", "n1", "n10", "n2", "n3"])
        // Numbered afresh (lists changed past twice the rows held): the order follows the new numbers.
        for _ in 0..<3 {
            try database.execute("UPDATE series_presence SET digest = randomblob(32)")
            mirror.note(Set(try rowids(database)))
            try mirror.refresh(database)
            #expect(try ordered() == ["m9", "n1", "n10", "n2", "n3"])
        }
        // The storage's mirror numbered them as they joined; its node listing is in name order as
        // it comes (the route's sort then finds it sorted).
        #expect(try storage.labelValuesFromSummary("node", start: start, end: start + Self.hour - 1) == ["m9", "n1", "n10", "n2", "n3"])
    }

    func rowids(_ database: SQLiteDatabase) throws -> [Int64] {
        let statement = try database.statement("SELECT rowid FROM series_presence")
        defer { statement.reset() }
        var rowids: [Int64] = []
        while try statement.step() { rowids.append(statement.int64(0)) }
        return rowids
    }
}
