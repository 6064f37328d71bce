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
            for minute in minutes {
                let start = base + minute * 60_000
                let times = (Int64(0)..<6).map { start + $0 * 10_000 }
                let points = [(key: SeriesKey(name: "up", labels: [:], type: .gauge), points: times.map { ($0, [1.0]) })]
                let batch = UplinkBatch(node: node, stream: "metrics/raw/60s", sequence: start, tier: .raw, points: points, columns: 1)
                #expect(try storage.ingest(batch, receivedAt: 0))
            }
        }
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
            // Changed behind the hub's back: as a hub started on it sees it (SQLite's held rows forgotten).
            (storage as? SQLiteHubStorage)?.presenceMirror.forget()
            #expect(try storage.nodesWithPoints(start: inner.start, end: inner.end).isEmpty)
        }
    }
}
