import EdgewatchCore
import EdgewatchPromQL
import EdgewatchSQLite
import Foundation
import Testing

@testable import EdgewatchHub

/// A kept query over a fleet (more nodes than are read one by one) remembers its blocks'
/// selections (``SelectionMemo``), and its next read takes the blocks remembered whose points are
/// kept without reading their rows.
@Suite struct SelectionMemoTests {
    static let nodes = (1...20).map { "n\($0)" }

    /// `m2` of every node over `[start, start + span]`: per node, its points' values.
    static func read(_ storage: SQLiteHubStorage, _ matchers: [LabelMatcher], span: Int64 = 600_000) throws -> [String: [Double]] {
        let start = BatchBlockCacheTests.start
        var result: [String: [Double]] = [:]
        for series in try storage.select(matchers, start: start, end: start + span) {
            result[series.labels["node"] ?? ""] = series.points.map(\.value)
        }
        return result
    }

    static func expected(minutes: Int, nodes: [String] = nodes) -> [String: [Double]] {
        Dictionary(
            uniqueKeysWithValues: nodes.map { node in
                (node, (0..<minutes).flatMap { minute in Array(repeating: Double(minute), count: 6) })
            }
        )
    }

    @Test func theNextReadTakesRememberedBlocksWithoutTheirRows() throws {
        try SQLiteBlockPointsTests.withStore { storage, path in
            for node in Self.nodes {
                try storage.registerNode(node, secretHash: "", at: 0)
                for minute in 0..<3 { try BatchBlockCacheTests.send(storage, node: node, minute: minute, value: 0) }
            }
            let m2 = [try LabelMatcher(name: "__name__", operation: .equal, value: "m2")]
            let some = m2 + [try LabelMatcher(name: "node", operation: .notMatches, value: "n1|n2|n3")]
            #expect(try Self.read(storage, m2) == Self.expected(minutes: 3))
            #expect(try Self.read(storage, some) == Self.expected(minutes: 3, nodes: Array(Self.nodes.dropFirst(3))))
            // Series lists and data damaged: a row read now would name no wanted series.
            let database = try SQLiteDatabase(path: path)
            defer { database.close() }
            try database.execute("UPDATE blocks SET series = x'', data = x'00', series_index = NULL")
            #expect(try Self.read(storage, m2) == Self.expected(minutes: 3))
            #expect(try Self.read(storage, some) == Self.expected(minutes: 3, nodes: Array(Self.nodes.dropFirst(3))))
            // A block stored since is read from its row, and remembered with the others.
            try BatchBlockCacheTests.send(storage, node: "n1", minute: 3, value: 0)
            var grown = Self.expected(minutes: 3)
            grown["n1"] = Self.expected(minutes: 4)["n1"]
            #expect(try Self.read(storage, m2) == grown)
            #expect(try Self.read(storage, m2) == grown)
            // A narrower window: the remembered blocks that begin after it are passed over.
            let narrow = Self.expected(minutes: 2).mapValues { Array($0.prefix(9)) }
            #expect(try Self.read(storage, m2, span: 80_000) == narrow)
            #expect(storage.undecodableBlocks == 0)
            // A store opened afterwards remembers nothing: the damaged rows are all it has.
            let other = try SQLiteHubStorage(path: path)
            #expect(try Self.read(other, m2) == ["n1": Array(repeating: 3, count: 6)])
        }
    }
}
