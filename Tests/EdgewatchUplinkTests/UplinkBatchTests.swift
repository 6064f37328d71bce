import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire
import Testing

@Suite struct UplinkBatchTests {
    func batch(tier: Tier = .raw) -> UplinkBatch {
        let columns = tier == .raw ? 1 : 5
        let block = Block(
            timestamps: [1000, 2000, 3000],
            columns: columns,
            series: [
                BlockSeries(id: 0, present: nil, values: Array(repeating: [1.5, 2.5, .nan], count: columns)),
                BlockSeries(id: 1, present: [true, false, true], values: Array(repeating: [7, 8], count: columns)),
            ]
        )
        return UplinkBatch(
            node: "pi-1",
            stream: "metrics/raw/60s",
            sequence: 1000,
            tier: tier,
            downgradedFrom: tier == .raw ? nil : .raw,
            series: [
                SeriesKey(name: "node_load1", labels: Labels(), type: .gauge),
                SeriesKey(name: "node_cpu_seconds_total", labels: ["cpu": "0", "mode": "idle"], type: .counter),
            ],
            block: block,
            gaps: [UplinkBatch.Gap(from: 0, to: 999, reason: "raw evicted")],
            events: [StoreEvent(timestamp: 1500, kind: "clock_jump", detail: "+3600s")]
        )
    }

    @Test func roundTripsThroughZlib() throws {
        for tier in [Tier.raw, .minute] {
            let original = batch(tier: tier)
            let decoded = try UplinkBatch.decode(try Zlib.decompress(original.compressed(), limit: 1 << 20))
            #expect(decoded.series == original.series && decoded.gaps == original.gaps && decoded.events == original.events)
            #expect(
                decoded.block.timestamps == original.block.timestamps && decoded.tier == tier && decoded.downgradedFrom == original.downgradedFrom
            )
            #expect(decoded.block.series[0].values[0].map(\.bitPattern) == original.block.series[0].values[0].map(\.bitPattern))
            #expect(decoded.sampleCount == 5)
        }
    }

    @Test func limitsAndDamageAreNamed() throws {
        var limits = UplinkBatch.Limits()
        limits.maxSamples = 4
        #expect(throws: UplinkBatch.DecodingError.limit("samples per batch 6 exceeds the limit of 4")) {
            try UplinkBatch.decode(batch().encoded(), limits: limits)
        }
        limits = UplinkBatch.Limits()
        limits.maxLabelValueLength = 3
        #expect(throws: UplinkBatch.DecodingError.limit("label value length 4 exceeds the limit of 3")) {
            try UplinkBatch.decode(batch().encoded(), limits: limits)
        }
        let bytes = batch().encoded()
        for cut in [3, 10, bytes.count / 2, bytes.count - 1] {
            #expect(throws: UplinkBatch.DecodingError.self) { try UplinkBatch.decode(Array(bytes.prefix(cut))) }
        }
        #expect(throws: UplinkBatch.DecodingError.malformed("trailing bytes after the batch")) { try UplinkBatch.decode(bytes + [0]) }
    }

    @Test func inflatingStopsAtTheLimit() {
        let bomb = Zlib.compress([UInt8](repeating: 0, count: 8 << 20))
        #expect(throws: Zlib.Failure.tooLarge(limit: 1 << 20)) { try Zlib.decompress(bomb, limit: 1 << 20) }
        #expect(throws: Zlib.Failure.self) { try Zlib.decompress(Array(bomb.prefix(100)), limit: 1 << 30) }
        #expect(throws: Zlib.Failure.self) { try Zlib.decompress([1, 2, 3], limit: 100) }
    }

    @Test func versionOneBatchesFromAgentsNotYetUpgradedStillDecode() throws {
        let original = batch()
        var bytes = original.encoded()
        #expect(Array(bytes.prefix(4)) == Array("EWB2".utf8))
        bytes.replaceSubrange(0..<4, with: Array("EWB1".utf8))
        // Same content (compared encoded: the batch holds NaN, which is never equal to itself).
        #expect(try UplinkBatch.decode(bytes).encoded() == original.encoded())
        bytes.replaceSubrange(0..<4, with: Array("EWB9".utf8))
        #expect(throws: UplinkBatch.DecodingError.malformed("not an edgewatch batch (bad magic)")) { try UplinkBatch.decode(bytes) }
    }

    @Test func secretsCompareInConstantTimeAndHash() throws {
        #expect(try Secrets.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try Secrets.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try Secrets.constantTimeEqual("token-1", "token-1"))
        #expect(try !Secrets.constantTimeEqual("token-1", "token-2"))
        #expect(try !Secrets.constantTimeEqual("short", "a much longer token"))
        #expect(Secrets.randomToken(bytes: 16).count == 32)
        #expect(Secrets.randomToken() != Secrets.randomToken())
    }
}
