import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire
import Foundation
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
            events: [
                EventRecord(
                    time: 1500,
                    firstSeen: 900,
                    source: .kubernetes,
                    type: "Warning",
                    reason: "BackOff",
                    object: EventRecord.InvolvedObject(kind: "Pod", namespace: "default", name: "web-0"),
                    message: "Back-off restarting failed container",
                    count: 7,
                    delta: 2,
                    uid: "0f3c1a2e-5b7d-4e8f-9a0b-1c2d3e4f5a6b",
                    node: "pi-1",
                    recorded: 1600
                ),
                EventRecord(
                    time: 1700,
                    source: .node,
                    type: "Warning",
                    reason: "ClockJump",
                    object: EventRecord.InvolvedObject(kind: "Node", name: "pi-1"),
                    message: "+3600s",
                    uid: "node/ClockJump/x",
                    node: "pi-1",
                    recorded: 1700
                ),
            ]
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

    @Test func olderBatchesFromAgentsNotYetUpgradedStillDecode() throws {
        var original = batch()
        original.events = []
        #expect(Array(original.encoded().prefix(4)) == Array("EWB4".utf8))
        let version3 = original.encoded(version4: false)
        #expect(Array(version3.prefix(4)) == Array("EWB3".utf8))
        // (Blocks hold NaN, so batches are compared by their encoding.)
        #expect(try UplinkBatch.decode(version3).encoded() == original.encoded() && !UplinkBatch.isFormat4(version3))
        // Versions 1 and 2: version 3's layout up to the events, which were (time, kind, detail).
        var older = version3
        #expect(older.last == 0)
        older.removeLast()
        var events = ByteWriter([])
        events.varint(2)
        for (time, kind) in [(Int64(1500), "clock_jump"), (1600, "boot")] {
            events.signed(time)
            events.string(kind)
            events.string("detail \(kind)")
        }
        older += events.bytes
        for magic in ["EWB1", "EWB2"] {
            older.replaceSubrange(0..<4, with: Array(magic.utf8))
            let decoded = try UplinkBatch.decode(older)
            #expect(decoded.series == original.series && decoded.block.timestamps == original.block.timestamps)
            #expect(decoded.events.map(\.reason) == ["ClockJump", "NodeRebooted"])
            #expect(decoded.events.map(\.uid) == ["v2-clock_jump-1500", "v2-boot-1600"])
            #expect(decoded.events.allSatisfy { $0.node == "pi-1" && $0.object == EventRecord.InvolvedObject(kind: "Node", name: "pi-1") })
        }
        older.replaceSubrange(0..<4, with: Array("EWB9".utf8))
        #expect(throws: UplinkBatch.DecodingError.malformed("not an edgewatch batch (bad magic)")) { try UplinkBatch.decode(older) }
    }

    @Test func secretsCompareInConstantTimeAndHash() throws {
        #expect(Secrets.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Secrets.sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Secrets.constantTimeEqual("token-1", "token-1"))
        #expect(!Secrets.constantTimeEqual("token-1", "token-2"))
        #expect(!Secrets.constantTimeEqual("short", "a much longer token"))
        #expect(Secrets.randomToken(bytes: 16).count == 32)
        // Streaming in odd pieces gives the digest of the whole (FIPS 180-4 two-block vector, a million "a").
        var hash = SHA256()
        for piece in ["abcdbcdecdefdefgefghfghighij", "hijkijkljklmklmnlmnomnopnopq"] { hash.update(Array(piece.utf8)) }
        #expect(hash.hexDigest() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var million = SHA256()
        let chunk = [UInt8](repeating: 0x61, count: 1000)
        for _ in 0..<1000 {
            million.update(chunk[0..<(999)])
            million.update(chunk[0..<1])
        }
        #expect(million.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Secrets.randomToken() != Secrets.randomToken())
    }

    @Test func aBatchNamesItsSeriesTableByHashAndTheReceiverFillsItIn() throws {
        let original = batch()
        let hash = UplinkBatch.seriesTableHash(original.series)
        #expect(hash.count == 32 && hash == UplinkBatch.seriesTableHash(batch().series))
        #expect(hash != UplinkBatch.seriesTableHash(Array(original.series.reversed())))
        var referencing = original
        referencing.seriesReference = hash
        #expect(referencing.compressed().count < original.compressed().count)
        var decoded = try UplinkBatch.decode(referencing.encoded())
        #expect(decoded.seriesReference == hash && decoded.series.isEmpty && UplinkBatch.isFormat4(referencing.encoded()))
        try decoded.resolveSeries(table: UplinkBatch.seriesTable(original.series))
        #expect(decoded.encoded() == original.encoded())
        // A table that does not fit the block, or is damaged, is refused by name.
        var short = try UplinkBatch.decode(referencing.encoded())
        #expect(throws: UplinkBatch.DecodingError.malformed("sample block names an unknown series")) {
            try short.resolveSeries(table: UplinkBatch.seriesTable(Array(original.series.prefix(1))))
        }
        #expect(throws: UplinkBatch.DecodingError.malformed("trailing bytes after the series table")) {
            try short.resolveSeries(table: UplinkBatch.seriesTable(original.series) + [0])
        }
        // A reference cut short, and an unknown table form.
        let bytes = referencing.encoded()
        #expect(throws: UplinkBatch.DecodingError.self) { try UplinkBatch.decode(Array(bytes.prefix(40))) }
        var form = original.encoded()
        let formAt = 4 + 1 + 4 + 1 + 15 + 2 + 1 + 1
        #expect(form[formAt] == 0)
        form[formAt] = 7
        #expect(throws: UplinkBatch.DecodingError.malformed("unknown series table form 7")) { try UplinkBatch.decode(form) }
    }

    /// Found by the fuzzer (Fuzz/corpus/uplink-batch/regression-v2-event-uid): a version 1 batch
    /// whose clock-jump kind was 256 bytes long decoded with a 284-byte uid, which the current
    /// format then refused: what decodes must encode and decode again.
    @Test func olderEventUIDsAreHeldToTheUIDLimit() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/corpus/uplink-batch/regression-v2-event-uid")
        let bytes = [UInt8](try Data(contentsOf: file))
        #expect(throws: UplinkBatch.DecodingError.limit("event uid length 284 exceeds the limit of 256")) { try UplinkBatch.decode(bytes) }
    }
}
