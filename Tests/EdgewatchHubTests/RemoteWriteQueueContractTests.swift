import EdgewatchCore
import EdgewatchEncoding
import EdgewatchHub
import EdgewatchWire
import Testing

/// remote_write's queues, on SQLite and a real PostgreSQL alike: a block is queued for every
/// target when it is stored, leaves the queue when sent, and moves to the refusals when refused.
@Suite struct RemoteWriteQueueContractTests {
    static let start: Int64 = 1_800_000_000_000

    func batch(_ sequence: Int64, node: String = "n1", labels: Labels = ["cpu": "0"]) -> UplinkBatch {
        let key = SeriesKey(name: "node_cpu_seconds_total", labels: labels, type: .counter)
        let time = Self.start + sequence * 10_000
        return UplinkBatch(
            node: node,
            stream: "metrics/raw",
            sequence: sequence,
            tier: .raw,
            points: [(key: key, points: [(time, [Double(sequence)])])],
            columns: 1
        )
    }

    @Test(arguments: HubStorageBackend.available)
    func storedBlocksAreQueuedPerTargetUntilSentOrRefused(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try storage.registerNode("n1", secretHash: "", at: 0)
            try storage.report(NodeReport(cluster: "shop-7"), node: "n1")
            // Before any target: stored, queued nowhere.
            #expect(try storage.ingest(batch(1), receivedAt: 0))
            try storage.setRemoteWriteTargets(["prometheus", "mimir"])
            #expect(try storage.ingest(batch(2), receivedAt: 0))
            #expect(try storage.ingest(batch(3, labels: ["cpu": "1", "cluster": "own"]), receivedAt: 0))
            #expect(try !storage.ingest(batch(3), receivedAt: 0), "a duplicate is not queued again")
            #expect(try storage.claimRemoteWrite(target: "prometheus"))

            let queued = try storage.remoteWriteQueue(target: "prometheus", limit: 10)
            #expect(queued.count == 2)
            #expect(queued.map(\.tier) == [.raw, .raw])
            #expect(
                queued[0].series == [
                    QueuedBlock.Series(labels: ["__name__": "node_cpu_seconds_total", "cluster": "shop-7", "cpu": "0", "node": "n1"], type: .counter)
                ]
            )
            #expect(queued[1].series.first?.labels["cluster"] == "own", "a series' own cluster label is kept")
            #expect(try storage.remoteWriteQueue(target: "prometheus", limit: 1).map(\.id) == [queued[0].id], "oldest first, at most the limit")

            try storage.remoteWriteSent(target: "prometheus", blocks: [queued[0].id])
            try storage.remoteWriteRefused(target: "prometheus", blocks: [queued[1].id], status: 400, reason: "out of order sample", at: 5)
            #expect(try storage.remoteWriteQueue(target: "prometheus", limit: 10).isEmpty)
            #expect(try storage.remoteWriteQueue(target: "mimir", limit: 10).count == 2, "each target has its own queue")
            #expect(
                try storage.remoteWriteCounts() == [
                    "prometheus": RemoteWriteQueueCounts(queued: 0, refused: 1), "mimir": RemoteWriteQueueCounts(queued: 2, refused: 0),
                ]
            )
            // A target no longer configured loses its queue; a new one starts empty.
            try storage.setRemoteWriteTargets(["prometheus", "thanos"])
            #expect(
                try storage.remoteWriteCounts() == ["prometheus": RemoteWriteQueueCounts(queued: 0, refused: 1), "thanos": RemoteWriteQueueCounts()]
            )
            #expect(try storage.ingest(batch(4), receivedAt: 0))
            #expect(try storage.remoteWriteQueue(target: "thanos", limit: 10).count == 1)
            #expect(try storage.remoteWriteQueue(target: "mimir", limit: 10).isEmpty)
        }
    }

    /// What a target holds per series is recorded with the blocks it took, only ever raised, and
    /// forgotten with the target.
    @Test(arguments: HubStorageBackend.available)
    func highWaterIsRecordedWithTheSentBlocks(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try storage.registerNode("n1", secretHash: "", at: 0)
            try storage.setRemoteWriteTargets(["prometheus", "mimir"])
            #expect(try storage.ingest(batch(1), receivedAt: 0))
            #expect(try storage.ingest(batch(2), receivedAt: 0))
            let queued = try storage.remoteWriteQueue(target: "prometheus", limit: 10).map(\.id)
            #expect(try storage.remoteWriteHighWater(target: "prometheus").isEmpty)
            let (a, b): (UInt64, UInt64) = (0xFFFF_FFFF_FFFF_FFF0, 7)
            try storage.remoteWriteSent(target: "prometheus", blocks: [queued[0]], highWater: [a: 100, b: 50])
            try storage.remoteWriteSent(target: "prometheus", blocks: [queued[1]], highWater: [a: 90, b: 60])
            #expect(try storage.remoteWriteHighWater(target: "prometheus") == [a: 100, b: 60])
            #expect(try storage.remoteWriteQueue(target: "prometheus", limit: 10).isEmpty)
            #expect(try storage.remoteWriteHighWater(target: "mimir").isEmpty)
            try storage.setRemoteWriteTargets(["mimir"])
            try storage.setRemoteWriteTargets(["mimir", "prometheus"])
            #expect(try storage.remoteWriteHighWater(target: "prometheus").isEmpty, "a target removed starts again from nothing")
        }
    }

    /// Series not sent for a day are forgotten in bounded steps, of their target only; fingerprints
    /// with the top bit set (negative as stored) included.
    @Test(arguments: HubStorageBackend.available)
    func seriesNotSentForADayAreForgotten(_ backend: HubStorageBackend) throws {
        try backend.withStorage { storage throws in
            try storage.setRemoteWriteTargets(["prometheus", "mimir"])
            // Ten thousand series, every third one old: more than one step of the SQLite backend.
            var times: [UInt64: Int64] = [:]
            for index in UInt64(0)..<10_000 { times[index &* 0x9E37_79B9_7F4A_7C15] = index % 3 == 0 ? 1_000 : 5_000 }
            // The lowest key as stored (Int64.min) and the highest.
            times[0x8000_0000_0000_0000] = 1_000
            times[0x7FFF_FFFF_FFFF_FFFF] = 1_000
            try storage.remoteWriteSent(target: "prometheus", blocks: [], highWater: times)
            try storage.remoteWriteSent(target: "mimir", blocks: [], highWater: times)
            try storage.remoteWriteForget(target: "prometheus", before: 2_000)
            #expect(try storage.remoteWriteHighWater(target: "prometheus") == times.filter { $0.value == 5_000 })
            #expect(try storage.remoteWriteHighWater(target: "mimir") == times)
        }
    }
}
