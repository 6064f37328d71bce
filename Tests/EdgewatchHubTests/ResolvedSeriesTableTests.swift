import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchPromQL
import EdgewatchWire
import Testing

/// Either backend maps a batch naming its node's last series table straight to the hub's ids, its series
/// unresolved; any other table is resolved as before, and every batch reads back the same.
@Suite struct ResolvedSeriesTableTests {
    static let start: Int64 = 1_800_000_000_000
    static let keysA = [
        SeriesKey(name: "node_load1", labels: [:], type: .gauge), SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": "0"], type: .counter),
    ]
    static let keysB = keysA + [SeriesKey(name: "node_load5", labels: [:], type: .gauge)]

    /// A raw batch at `minute` with one sample per series, naming its table by hash (series filled
    /// in when `resolved`, as the route leaves a batch it resolved).
    func batch(_ minute: Int64, _ keys: [SeriesKey], resolved: Bool) -> UplinkBatch {
        let time = Self.start + minute * 60_000
        var batch = UplinkBatch(
            node: "n1",
            stream: "metrics/raw/60s",
            sequence: time,
            tier: .raw,
            points: keys.enumerated().map { (key: $1, points: [(time, [Double(minute * 10 + Int64($0))])]) },
            columns: 1
        )
        batch.seriesReference = UplinkBatch.seriesTableHash(batch.series)
        if !resolved { batch.series = [] }
        return batch
    }

    func keep(_ storage: any HubStorage, _ keys: [SeriesKey]) throws {
        try storage.keepSeriesTable(node: "n1", hash: UplinkBatch.seriesTableHash(keys), table: UplinkBatch.seriesTable(keys), at: 0)
    }

    @Test(arguments: HubStorageBackend.available)
    func batchesNamingTheLastTableNeedNoResolution(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try storage.registerNode("n1", secretHash: "", at: 0)
            try keep(storage, Self.keysA)
            try keep(storage, Self.keysB)
            let hashA = UplinkBatch.seriesTableHash(Self.keysA)
            #expect(storage.resolvableSeriesCount(node: "n1", hash: hashA) == nil, "nothing stored yet")
            #expect(try storage.ingest(batch(0, Self.keysA, resolved: true), receivedAt: 0))
            #expect(storage.resolvableSeriesCount(node: "n1", hash: hashA) == 2)
            #expect(storage.resolvableSeriesCount(node: "n2", hash: hashA) == nil)
            #expect(try storage.ingest(batch(1, Self.keysA, resolved: false), receivedAt: 0))
            #expect(try !storage.ingest(batch(1, Self.keysA, resolved: false), receivedAt: 0), "a replay is still a duplicate")
            // Another table kept for the node, named unresolved: the storage resolves it itself.
            #expect(try storage.ingest(batch(2, Self.keysB, resolved: false), receivedAt: 0))
            #expect(storage.resolvableSeriesCount(node: "n1", hash: hashA) == nil)
            #expect(storage.resolvableSeriesCount(node: "n1", hash: UplinkBatch.seriesTableHash(Self.keysB)) == 3)
            #expect(try storage.ingest(batch(3, Self.keysA, resolved: false), receivedAt: 0))
            // A table the hub does not keep: refused, nothing stored.
            let unknown = [SeriesKey(name: "node_load15", labels: [:], type: .gauge)]
            #expect(throws: HubError.self) { try storage.ingest(batch(4, unknown, resolved: false), receivedAt: 0) }

            let load1 = try storage.select(
                [LabelMatcher(name: "__name__", operation: .equal, value: "node_load1")],
                start: Self.start,
                end: Self.start + 600_000
            )
            #expect(load1.map(\.points) == [(0..<4).map { Point(Self.start + $0 * 60_000, Double($0 * 10)) }])
            let cpu = try storage.select(
                [LabelMatcher(name: "__name__", operation: .equal, value: "node_cpu_seconds_total")],
                start: Self.start,
                end: Self.start + 600_000
            )
            #expect(cpu.map(\.labels) == [["__name__": "node_cpu_seconds_total", "cpu": "0", "node": "n1"]])
            #expect(cpu.first?.points.map(\.value) == [1, 11, 21, 31])
            let load5 = try storage.select(
                [LabelMatcher(name: "__name__", operation: .equal, value: "node_load5")],
                start: Self.start,
                end: Self.start + 600_000
            )
            #expect(load5.first?.points == [Point(Self.start + 120_000, 22)])
        }
    }
}
