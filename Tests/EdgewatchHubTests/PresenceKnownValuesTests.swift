import EdgewatchCore
import EdgewatchPostgres
import EdgewatchSQLite
import Testing

@testable import EdgewatchHub

/// Listings answered from the mirror's window and what earlier listings learned
/// (``PresenceWindow/knownValues(of:start:end:)``) give what every series' blocks give, on both
/// backends, as received and compacted; windows whose rows reach past an edge without every
/// series there, and lists not learned yet, are left to the whole listing.
@Suite struct PresenceKnownValuesTests {
    typealias Listing = SeriesPresenceListingTests

    @Test(arguments: HubStorageBackend.available)
    func knownValuesAreWhatTheBlocksList(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try Listing.ingest(storage)
            let windows = Listing.windows
            // Before any listing nothing is learned: no label but `node` is answered from the window
            // (but where no row reaches into it: nothing).
            for (start, end) in windows {
                for label in Listing.labels where label != "node" {
                    let known = try Self.known(storage, label, start, end)
                    #expect(known == nil || known == [], "[\(start - Listing.first), \(end - Listing.first)], \(label ?? "names")")
                }
            }
            for layout in ["as received", "compacted"] {
                if layout == "compacted" { _ = try storage.compact(now: Listing.first + 6 * Listing.hour, budget: 10_000) }
                // Every listing once, as a dashboard's first load: the lists' labels are learned.
                for (start, end) in windows {
                    for label in Listing.labels { _ = try storage.labelValuesFromSummary(label, start: start, end: end) }
                }
                var (answered, left) = ([String: Int](), 0)
                for (start, end) in windows {
                    let every = try storage.distinctSeries(matching: Listing.selectors()[0], start: start, end: end)
                    for label in Listing.labels {
                        let expected = Set(every.flatMap { labels in label.map { labels[$0].map { [$0] } ?? [] } ?? labels.map(\.name) })
                        guard let known = try Self.known(storage, label, start, end) else {
                            left += 1
                            continue
                        }
                        let window = "\(layout), [\(start - Listing.first), \(end - Listing.first)], \(label ?? "names")"
                        #expect(Set(known) == expected && known.count == expected.count, "\(window): \(known.sorted()) != \(expected.sorted())")
                        #expect(try storage.labelValuesFromSummary(label, start: start, end: end)?.sorted() == expected.sorted(), "\(window)")
                        answered[label ?? "names", default: 0] += 1
                    }
                }
                // Each label is answered so for many windows as received (a minute's rows, each
                // series at each of its times), for some compacted (an hour's rows, not dense where
                // pods came and went in it); windows reaching past a row without every series there
                // are left to the whole listing.
                let least = layout == "as received" ? 20 : 2
                #expect(Listing.labels.allSatisfy { answered[$0 ?? "names", default: 0] >= least }, "\(layout): \(answered)")
                #expect(left >= 20, "\(layout): \(left) left to the whole listing")
            }
        }
    }

    /// What the window alone answers for `label` in a listing's snapshot (nil: the whole listing
    /// is needed, or the rows cannot answer).
    static func known(_ storage: any HubStorage, _ label: String?, _ start: Int64, _ end: Int64) throws -> [String]? {
        if let sqlite = storage as? SQLiteHubStorage {
            return try sqlite.reader.withLock { locked throws(SQLiteError) -> [String]? in
                let reader = locked
                try sqlite.presenceMirror.refresh(reader)
                return try reader.snapshot { () throws(SQLiteError) -> [String]? in
                    let generation = try sqlite.clustersAndGeneration(reader).generation
                    return try sqlite.presenceWindow(start: start, end: end, generation: generation, reader)?.window
                        .knownValues(of: label, start: start, end: end)
                }
            }
        }
        let postgres = try #require(storage as? PostgresHubStorage)
        return try postgres.pool.withConnection { connection throws(PostgresError) -> [String]? in
            try connection.snapshot { connection throws(PostgresError) -> [String]? in
                let context = try postgres.queryContext(name: nil, from: start, connection)
                return try postgres.presenceWindow(context, start: start, end: end, connection)?.window.knownValues(of: label, start: start, end: end)
            }
        }
    }
}
