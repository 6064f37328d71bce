import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPromQL
import EdgewatchWire
import Testing

/// Retention deletes a series from the series table once the last blocks that held it (its 1 h
/// summaries) are gone, on SQLite and on PostgreSQL, where another replica may remember its id:
/// a batch naming it later gets a new id, whether it came by its node's series table or by labels.
@Suite struct SeriesPruningContractTests {
    static let start: Int64 = 1_800_000_000_000 / 3_600_000 * 3_600_000
    static let kept = SeriesKey(name: "temperature_celsius", labels: [:], type: .gauge)
    static let pruned = SeriesKey(name: "fan_rpm", labels: [:], type: .gauge)
    static let back = SeriesKey(name: "door_open", labels: [:], type: .gauge)

    /// Ten minutes of `keys` from `from`, a sample a minute (value: the minute since `start`);
    /// naming its series table unresolved when `byTable`.
    func batch(_ node: String, from: Int64, _ keys: [SeriesKey], byTable: Bool = false) -> UplinkBatch {
        let times = Array(stride(from: from, to: from + 600_000, by: 60_000))
        var batch = UplinkBatch(
            node: node,
            stream: "metrics/raw/600s",
            sequence: from,
            tier: .raw,
            points: keys.map { (key: $0, points: times.map { ($0, [Double(($0 - Self.start) / 60_000)]) }) },
            columns: 1
        )
        if byTable {
            batch.seriesReference = UplinkBatch.seriesTableHash(batch.series)
            batch.series = []
        }
        return batch
    }

    func select(_ storage: any HubStorage, _ key: SeriesKey) throws -> [Series] {
        try storage.select(
            [LabelMatcher(name: "__name__", operation: .equal, value: key.name)],
            start: Self.start,
            end: Self.start + 5 * 3_600_000
        ).sorted { $0.labels < $1.labels }
    }

    /// Two nodes send both series for an hour, then only one for three: `n1` by its series table
    /// (remembered resolved), `n2` by labels (its ids remembered). `n2` also sends a third series
    /// in the first hour and again ten minutes of the fourth (not in the next hour's summaries,
    /// but held by its compacted raw block). `n2` names the pruned series first, so that the last
    /// id SQLite gave is one kept.
    @Test(arguments: HubStorageBackend.available)
    func aSeriesGoesWithItsLastSummariesAndComesBackWithANewID(_ backend: HubStorageBackend) throws {
        try backend.withReplicas { ingesting, retaining throws in
            let start = Self.start
            let both = [Self.kept, Self.pruned]
            for node in ["n1", "n2"] { try ingesting.registerNode(node, secretHash: "", at: 0) }
            try ingesting.keepSeriesTable(node: "n1", hash: UplinkBatch.seriesTableHash(both), table: UplinkBatch.seriesTable(both), at: 0)
            #expect(try ingesting.ingest(batch("n1", from: start, both), receivedAt: 0))
            for from in stride(from: start, to: start + 4 * 3_600_000, by: 600_000) {
                let early = from < start + 3_600_000
                if from > start { #expect(try ingesting.ingest(batch("n1", from: from, early ? both : [Self.kept], byTable: early), receivedAt: 0)) }
                let again = from == start + 3 * 3_600_000
                let keys = early ? [Self.pruned, Self.back, Self.kept] : again ? [Self.back, Self.kept] : [Self.kept]
                #expect(try ingesting.ingest(batch("n2", from: from, keys), receivedAt: 0))
            }
            #expect(try retaining.compact(now: start + 4 * 3_600_000, budget: 10_000).finished)
            #expect(ingesting.resolvableSeriesCount(node: "n1", hash: UplinkBatch.seriesTableHash(both)) == 2)

            var policy = RetentionPolicy()
            (policy.raw, policy.minute, policy.hour) = (3_600_000, 3_600_000, 2 * 3_600_000)
            let now = start + 4 * 3_600_000
            let report = try retaining.retain(policy: policy, now: now, budget: 1_000)
            #expect(report.finished && report.prunedSeries == 2, "\(report)")
            #expect(try select(retaining, Self.pruned).isEmpty)
            #expect(try select(retaining, Self.kept).map(\.points.first?.timestamp) == [start + 2 * 3_600_000, start + 2 * 3_600_000])
            let held = try select(retaining, Self.back)
            #expect(held.map(\.labels) == [["__name__": "door_open", "node": "n2"]] && held.first?.points.count == 10)

            // Both nodes name the series again: by the table resolved before, and by labels.
            #expect(try ingesting.ingest(batch("n1", from: now, both, byTable: true), receivedAt: 0))
            #expect(try ingesting.ingest(batch("n2", from: now, [Self.pruned, Self.kept]), receivedAt: 0))
            let back = try select(retaining, Self.pruned)
            #expect(back.map(\.labels) == [["__name__": "fan_rpm", "node": "n1"], ["__name__": "fan_rpm", "node": "n2"]])
            #expect(back.map(\.points.count) == [10, 10] && back.first?.points.first == Point(now, 240))
            #expect(try select(ingesting, Self.kept).map(\.points.last) == [Point(now + 540_000, 249), Point(now + 540_000, 249)])
            #expect(try retaining.retain(policy: policy, now: now, budget: 1_000).prunedSeries == 0, "the series are held again")
        }
    }

    /// A series whose stored labels do not parse is still looked for among its metric's blocks (by
    /// the name stored with it), and kept while one holds it.
    @Test(arguments: HubStorageBackend.available)
    func aSeriesWithUnreadableLabelsIsKeptWhileHeld(_ backend: HubStorageBackend) throws {
        try backend.withStorageAndSQL { storage, execute throws in
            let start = Self.start
            try storage.registerNode("n1", secretHash: "", at: 0)
            for from in stride(from: start, to: start + 4 * 3_600_000, by: 600_000) {
                let early = from < start + 3_600_000
                let keys = early ? [Self.pruned, Self.back, Self.kept] : from == start + 3 * 3_600_000 ? [Self.back, Self.kept] : [Self.kept]
                #expect(try storage.ingest(batch("n1", from: from, keys), receivedAt: 0))
            }
            #expect(try storage.compact(now: start + 4 * 3_600_000, budget: 10_000).finished)
            try execute("UPDATE series SET labels = 'unreadable' WHERE name = 'door_open'")
            var policy = RetentionPolicy()
            (policy.raw, policy.minute, policy.hour) = (3_600_000, 3_600_000, 2 * 3_600_000)
            let report = try storage.retain(policy: policy, now: start + 4 * 3_600_000, budget: 1_000)
            #expect(report.prunedSeries == 1, "only fan_rpm: \(report)")
        }
    }
}
