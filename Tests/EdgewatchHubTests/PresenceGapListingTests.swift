import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire
import Foundation
import Testing

@testable import EdgewatchHub

/// A dashboard's `node` variable over a window inside the presence rows' spans, which none of
/// their ends falls in: known from the rows' gaps (``SeriesPresence/Row/gap``), on both backends,
/// without reading the window's blocks.
@Suite struct PresenceGapListingTests {
    /// Hour-aligned.
    static let base = HubStorageContractTests.window

    /// Five one-minute batches of a series at 10 s from each node: `n1`'s in order; `n2` with none
    /// from the second to the fourth minute; `n3`'s with the third minute sent last, so its row's
    /// gap, widened batch by batch, stays the 70 s it had before that minute came.
    static func ingest(_ storage: any HubStorage) throws {
        for node in ["n1", "n2", "n3"] {
            try storage.registerNode(node, secretHash: "", at: 0)
            let minutes: [Int64] = node == "n3" ? [0, 1, 3, 4, 2] : node == "n2" ? [0, 4] : [0, 1, 2, 3, 4]
            for minute in minutes { try send(storage, node, at: base + minute * 60_000) }
        }
    }

    /// Each 10 s of the minute from `start`.
    static func tenSeconds(from start: Int64) -> [Int64] { (Int64(0)..<6).map { start + $0 * 10_000 } }

    /// Stores `node`'s one-minute batch from `start`: `up` at each 10 s of it, and `other`'s
    /// series at its times.
    static func send(_ storage: any HubStorage, _ node: String, at start: Int64, other: (SeriesKey, [Int64])? = nil) throws {
        var points = [(key: SeriesKey(name: "up", labels: [:], type: .gauge), points: tenSeconds(from: start).map { ($0, [1.0]) })]
        if let (key, times) = other { points.append((key: key, points: times.map { ($0, [2.0]) })) }
        let batch = UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: start, tier: .raw, points: points, columns: 1)
        #expect(try storage.ingest(batch, receivedAt: 0))
    }

    @Test(arguments: HubStorageBackend.available)
    func nodesOverAnInnerWindowAreKnownByTheRowsGaps(_ backend: HubStorageBackend) throws {
        try backend.withStorageAndSQL { storage, execute in
            try Self.ingest(storage)
            // Each row spans [0 s, 290 s]; n2 has no point in the window.
            let inner = (start: Self.base + 75_000, end: Self.base + 225_000)
            #expect(Set(try storage.nodesWithPoints(start: inner.start, end: inner.end)) == ["n1", "n3"])
            // The rows alone answer: the same with the blocks gone.
            try execute("DELETE FROM blocks")
            #expect(Set(try storage.nodesWithPoints(start: inner.start, end: inner.end)) == ["n1", "n3"])
            // Shorter than n3's row's gap (70 s): its row does not tell, and no block is left.
            #expect(try storage.nodesWithPoints(start: Self.base + 185_000, end: Self.base + 195_000) == ["n1"])
            #expect(try storage.nodesWithPoints(start: Self.base + 185_000, end: Self.base + 194_999).isEmpty)
            // A row whose gap is not known (stored before it was kept) tells nothing inside its span.
            try execute("UPDATE series_presence SET gap = NULL")
            // Changed behind the hub's back: as a hub started on it sees it (the held rows forgotten).
            (storage as? SQLiteHubStorage)?.presenceMirror.forget()
            (storage as? PostgresHubStorage)?.presenceMirror.forget()
            #expect(try storage.nodesWithPoints(start: inner.start, end: inner.end).isEmpty)
        }
    }

    /// `n1` sends `up` and `load{cpu="0"}` at each 10 s of five minutes (its row dense); `n2` sends
    /// `up` so and `sparse{cpu="1"}` at each minute's start only; `n3` as `n1`, but its last
    /// minute's `load{cpu="3"}` lacks the last point (its row widened by a batch not dense).
    static func ingestLists(_ storage: any HubStorage) throws {
        for node in ["n1", "n2", "n3"] {
            try storage.registerNode(node, secretHash: "", at: 0)
            for minute in Int64(0)..<5 {
                let start = base + minute * 60_000
                let times = tenSeconds(from: start)
                let other: (SeriesKey, [Int64]) =
                    switch node {
                    case "n1": (SeriesKey(name: "load", labels: ["cpu": "0"], type: .gauge), times)
                    case "n2": (SeriesKey(name: "sparse", labels: ["cpu": "1"], type: .gauge), [start])
                    default: (SeriesKey(name: "load", labels: ["cpu": "3"], type: .gauge), minute == 4 ? Array(times.dropLast()) : times)
                    }
                try send(storage, node, at: start, other: other)
            }
        }
    }

    /// A label listing over a window inside the rows' spans: each series of a dense row
    /// (``SeriesPresence/Row/dense``) is known to have a point there by the row's gap alone; the
    /// other rows' series are checked in the blocks.
    @Test(arguments: HubStorageBackend.available)
    func everySeriesOfADenseRowOverAnInnerWindowIsKnownByItsGap(_ backend: HubStorageBackend) throws {
        try backend.withStorageAndSQL { storage, execute in
            try Self.ingestLists(storage)
            let inner = (start: Self.base + 75_000, end: Self.base + 225_000)
            func names(_ start: Int64, _ end: Int64) throws -> [String] {
                let every = [[try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]]
                return try storage.series(matching: every, start: start, end: end).map { "\($0["node"] ?? "") \($0["__name__"] ?? "")" }.sorted()
            }
            #expect(try storage.labelValuesFromSummary("cpu", start: inner.start, end: inner.end)?.sorted() == ["0", "1", "3"])
            #expect(try storage.metricNamesWithPoints(start: inner.start, end: inner.end).sorted() == ["load", "sparse", "up"])
            #expect(try names(inner.start, inner.end) == ["n1 load", "n1 up", "n2 sparse", "n2 up", "n3 load", "n3 up"])
            // The dense row alone answers: n1's series stay with the blocks gone, the others' go.
            try execute("DELETE FROM blocks")
            #expect(try storage.labelValuesFromSummary("cpu", start: inner.start, end: inner.end) == ["0"])
            #expect(try storage.labelValuesFromSummary(nil, start: inner.start, end: inner.end)?.sorted() == ["__name__", "cpu", "node"])
            #expect(try storage.metricNamesWithPoints(start: inner.start, end: inner.end).sorted() == ["load", "up"])
            #expect(try names(inner.start, inner.end) == ["n1 load", "n1 up"])
            // As long as its gap (10 s), not shorter: [181 s, 189 s] lies between two points.
            #expect(try names(Self.base + 185_000, Self.base + 195_000) == ["n1 load", "n1 up"])
            #expect(try names(Self.base + 181_000, Self.base + 189_000).isEmpty)
        }
    }
}
