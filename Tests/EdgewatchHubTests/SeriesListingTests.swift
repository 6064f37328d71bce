import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPromQL
import EdgewatchWire
import Testing

/// `/api/v1/series`, `/api/v1/labels` and label values list the series with a point in their
/// window without decoding the blocks wholly inside it (Grafana's browsers ask over hours of a
/// fleet); a block reaching past an edge is read, so the answer stays exact.
@Suite struct SeriesListingTests {
    static let window = HubStorageContractTests.window

    /// Three one-minute batches of node `n1`: `steady` in each, `early` only in the first (at its
    /// start), `middle` only in the second; points at each minute's start and 30 s in.
    static func ingest(_ storage: any HubStorage) throws {
        try storage.registerNode("n1", secretHash: "", at: 0)
        for minute in Int64(0)..<3 {
            let first = window + minute * 60_000
            var keys = [SeriesKey(name: "steady", labels: [:], type: .gauge)]
            if minute == 0 { keys.append(SeriesKey(name: "early", labels: [:], type: .gauge)) }
            if minute == 1 { keys.append(SeriesKey(name: "middle", labels: ["pod": "p1"], type: .gauge)) }
            let points = keys.map { key in
                (key: key, points: key.name == "early" ? [(first, [1.0])] : [(first, [1.0]), (first + 30_000, [2.0])])
            }
            let batch = UplinkBatch(node: "n1", stream: "metrics/raw/60s", sequence: first, tier: .raw, points: points, columns: 1)
            #expect(try storage.ingest(batch, receivedAt: 0))
        }
    }

    /// The names of the series `selectors` (every series by default) list in `[start, end]`.
    static func names(_ storage: any HubStorage, _ start: Int64, _ end: Int64, _ selectors: [[LabelMatcher]]? = nil) throws -> [String] {
        let every = [[try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]]
        return try storage.series(matching: selectors ?? every, start: start, end: end).compactMap { $0["__name__"] }
    }

    /// As received (a block per batch) and compacted (a block per metric for the ten minutes, of
    /// which a listing reads those reaching past its window whole).
    @Test(arguments: HubStorageBackend.available)
    func seriesWithAPointInTheWindowAreListed(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try Self.ingest(storage)
            let window = Self.window
            for layout in ["as received", "compacted"] {
                if layout == "compacted" {
                    let report = try storage.compact(now: window + 3_600_000, budget: 100)
                    #expect(report.summarisedBlocks == 3 && report.deletedBlocks == 3, "\(report)")
                }
                #expect(try Self.names(storage, window, window + 180_000) == ["early", "middle", "steady"], "\(layout)")
                #expect(storage.cachedSeries.query == 0, "a listing without a metric name keeps no label set")
                // The second minute (its block, as received) lies wholly inside.
                #expect(try Self.names(storage, window + 60_000, window + 90_000) == ["middle", "steady"], "\(layout)")
                // Edges cut through the first minute: its points decide.
                #expect(try Self.names(storage, window + 1, window + 30_000) == ["steady"], "\(layout)")
                #expect(try Self.names(storage, window - 60_000, window) == ["early", "steady"], "\(layout)")
                #expect(try Self.names(storage, window + 31_000, window + 59_999).isEmpty, "\(layout)")
                let pod = [[try LabelMatcher(name: "pod", operation: .equal, value: "p1")]]
                #expect(try storage.series(matching: pod, start: 0, end: .max) == [["__name__": "middle", "node": "n1", "pod": "p1"]])
                #expect(try Self.names(storage, window + 120_000, window + 180_000, pod).isEmpty, "\(layout)")
                #expect(storage.undecodableBlocks == 0)
            }
        }
    }

    /// A damaged block inside the window is not read for a listing (a query for its points
    /// counts it undecodable); one reaching past an edge is, where its presence row does not tell.
    @Test(arguments: HubStorageBackend.available)
    func blocksInsideTheWindowAreNotDecoded(_ backend: HubStorageBackend) throws {
        try backend.withStorageAndSQL { storage, execute throws in
            try Self.ingest(storage)
            let window = Self.window
            try execute("UPDATE blocks SET data = substr(data, 1, 3) WHERE min_ts = \(window + 60_000)")
            #expect(try Self.names(storage, window, window + 180_000) == ["early", "middle", "steady"])
            #expect(storage.undecodableBlocks == 0)
            // Inside its span, shorter than its gap (30 s) and holding neither end, where its
            // presence row does not tell: the query must read it; it is skipped and counted.
            #expect(try Self.names(storage, window + 65_000, window + 85_000).isEmpty)
            #expect(storage.undecodableBlocks == 1)
            let middle = [try LabelMatcher(name: "__name__", operation: .equal, value: "middle")]
            #expect(try storage.select(middle, start: window, end: window + 180_000).isEmpty)
            #expect(storage.undecodableBlocks == 2)
        }
    }

    /// A listing reads the window's blocks newest first, a quarter hour, then half an hour and so
    /// on, and stops once every wanted series is known: a series only in the oldest blocks, one
    /// only in the newest and one in a block reaching past the window's end are all found, as
    /// received and compacted, and one whose last point lies before the window is not.
    @Test(arguments: HubStorageBackend.available)
    func listingsOverHoursFindEverySeries(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try storage.registerNode("n1", secretHash: "", at: 0)
            let start = Self.window
            for minute in Int64(0)..<180 {
                let first = start + minute * 60_000
                var keys = [SeriesKey(name: "steady", labels: [:], type: .gauge)]
                if minute < 2 { keys.append(SeriesKey(name: "oldest", labels: [:], type: .gauge)) }
                if minute == 0 { keys.append(SeriesKey(name: "gone", labels: [:], type: .gauge)) }
                if minute == 179 { keys.append(SeriesKey(name: "newest", labels: [:], type: .gauge)) }
                let points = keys.map { key in (key: key, points: [(key.name == "gone" ? first : first + 30_000, [1.0])]) }
                let batch = UplinkBatch(node: "n1", stream: "metrics/raw/60s", sequence: first, tier: .raw, points: points, columns: 1)
                #expect(try storage.ingest(batch, receivedAt: 0))
            }
            for layout in ["as received", "compacted"] {
                if layout == "compacted" { _ = try storage.compact(now: start + 6 * 3_600_000, budget: 1_000) }
                #expect(try Self.names(storage, start + 1_000, start + 3 * 3_600_000) == ["newest", "oldest", "steady"], "\(layout)")
                // The newest minute's block reaches past an end inside it.
                #expect(try Self.names(storage, start + 60_000, start + 179 * 60_000 + 40_000) == ["newest", "oldest", "steady"], "\(layout)")
                #expect(try Self.names(storage, start + 2 * 60_000, start + 179 * 60_000 + 20_000) == ["steady"], "\(layout)")
                #expect(try Self.names(storage, start, start + 60_000) == ["gone", "oldest", "steady"], "\(layout)")
                #expect(storage.undecodableBlocks == 0)
            }
        }
    }

    /// A dashboard's `node` variable is answered from the blocks' nodes (``HubStorage/nodesWithPoints(start:end:)``):
    /// the same nodes as every label set of the window would name, whether a node's blocks lie
    /// inside the window, only reach into it (with or without a point there), lie before it, or
    /// begin before its tier's retention mark.
    @Test(arguments: HubStorageBackend.available)
    func nodeValuesAreTheNodesWithAPoint(_ backend: HubStorageBackend) throws {
        try backend.withStorageAndSQL { storage, execute throws in
            let w = Self.window
            let key = SeriesKey(name: "up", labels: [:], type: .gauge)
            // n1: a point each half minute for three minutes; n2: one batch with points 30 s before
            // and 10 s after `w`; n3: a point a minute before `w`.
            let batches: [(String, [Int64])] = [
                ("n1", (0..<6).map { w + $0 * 30_000 }), ("n2", [w - 30_000, w + 10_000]), ("n3", [w - 60_000]),
            ]
            for (node, times) in batches {
                try storage.registerNode(node, secretHash: "", at: 0)
                let batch = UplinkBatch(
                    node: node,
                    stream: "metrics/raw/60s",
                    sequence: times[0],
                    tier: .raw,
                    points: [(key: key, points: times.map { ($0, [1.0]) })],
                    columns: 1
                )
                #expect(try storage.ingest(batch, receivedAt: 0))
            }
            func exact(_ start: Int64, _ end: Int64) throws -> [String] {
                let every = [[try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]]
                return Set(try storage.distinctSeries(matching: every, start: start, end: end).compactMap { $0["node"] }).sorted()
            }
            let windows: [(Int64, Int64, [String])] = [
                (w, w + 180_000, ["n1", "n2"]), (w + 1, w + 5_000, []), (w + 1, w + 20_000, ["n2"]), (w - 90_000, w - 45_000, ["n3"]),
                (w - 60_000, w + 200_000, ["n1", "n2", "n3"]), (w + 200_000, w + 300_000, []),
            ]
            for (start, end, expected) in windows {
                #expect(try storage.nodesWithPoints(start: start, end: end).sorted() == expected, "\(start - w)...\(end - w)")
                #expect(try exact(start, end) == expected, "\(start - w)...\(end - w)")
            }
            // Retention has summarised n1's raw points before w + 100 s: its block begins before the mark.
            try execute("INSERT INTO maintenance_marks(node, kind, mark) VALUES ('n1', 'retention/raw', \(w + 100_000))")
            for (start, end) in [(w, w + 60_000), (w, w + 180_000), (w + 120_000, w + 150_000)] {
                #expect(try storage.nodesWithPoints(start: start, end: end).sorted() == exact(start, end), "\(start - w)...\(end - w)")
            }
        }
    }

    /// The metric browser's names (``HubStorage/metricNamesWithPoints(start:end:)``) are those
    /// every label set of the window would give: as received and compacted, for windows inside,
    /// across the edges of, before and after the blocks, with more than a few names only at an
    /// edge or in no block of the window, and with a retention mark inside the window.
    @Test(arguments: HubStorageBackend.available)
    func metricNamesAreTheNamesWithAPoint(_ backend: HubStorageBackend) throws {
        try backend.withStorageAndSQL { storage, execute throws in
            try Self.ingest(storage)
            let w = Self.window
            // Ten names in one batch at w + 300 s and w + 330 s.
            let keys = (0..<10).map { SeriesKey(name: "m\($0)", labels: [:], type: .gauge) }
            let edge = UplinkBatch(
                node: "n1",
                stream: "metrics/raw/60s",
                sequence: w + 300_000,
                tier: .raw,
                points: keys.map { (key: $0, points: [(w + 300_000, [1.0]), (w + 330_000, [2.0])]) },
                columns: 1
            )
            #expect(try storage.ingest(edge, receivedAt: 0))
            // Ten names an hour before, in no window but one: none of their blocks reaches in.
            let old = UplinkBatch(
                node: "n1",
                stream: "metrics/raw/60s",
                sequence: w - 3_600_000,
                tier: .raw,
                points: (0..<10).map { (key: SeriesKey(name: "old\($0)", labels: [:], type: .gauge), points: [(w - 3_600_000, [1.0])]) },
                columns: 1
            )
            #expect(try storage.ingest(old, receivedAt: 0))
            func exact(_ start: Int64, _ end: Int64) throws -> [String] {
                let every = [[try LabelMatcher(name: "__name__", operation: .matches, value: ".+")]]
                return Set(try storage.distinctSeries(matching: every, start: start, end: end).compactMap(\.metricName)).sorted()
            }
            let windows: [(Int64, Int64)] = [
                (w, w + 400_000), (w, w + 180_000), (w + 60_000, w + 90_000), (w + 1, w + 30_000), (w - 60_000, w), (w + 31_000, w + 59_999),
                (w + 310_000, w + 340_000), (w + 301_000, w + 320_000), (w + 500_000, w + 600_000), (w - 3_700_000, w - 3_500_000),
            ]
            for layout in ["as received", "compacted", "retention mark"] {
                if layout == "compacted" { _ = try storage.compact(now: w + 3_600_000, budget: 100) }
                if layout == "retention mark" {
                    try execute("INSERT INTO maintenance_marks(node, kind, mark) VALUES ('n1', 'retention/raw', \(w + 100_000))")
                }
                for (start, end) in windows {
                    let names = try storage.metricNamesWithPoints(start: start, end: end).sorted()
                    #expect(names == (try exact(start, end)), "\(layout): \(start - w)...\(end - w)")
                }
                let expected = layout == "retention mark" ? ["steady"] : ["early", "middle", "steady"]
                #expect(try storage.metricNamesWithPoints(start: w, end: w + 180_000).sorted() == expected, "\(layout)")
            }
        }
    }
}
