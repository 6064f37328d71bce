import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire

@testable import EdgewatchHub

extension FuzzTarget {
    /// The agent↔hub batch: the hub's decoding of any body, and encode → decode identity.
    static let wireTargets: [FuzzTarget] = [
        FuzzTarget(name: "uplink-batch") { bytes in
            let limits = UplinkBatch.Limits.fuzzing
            guard let batch = try? UplinkBatch.decode(bytes, limits: limits) else { return }
            // What decodes must encode and decode again to the same batch.
            let again = try? UplinkBatch.decode(batch.encoded(), limits: limits)
            FuzzCheck.require(again?.isIdentical(to: batch) == true, "a decoded batch does not survive encoding again")
        },
        FuzzTarget(name: "hub-ingest") { bytes in
            // The ingest route's decoding: zlib within the inflate limit, the batch within the
            // batch limits, a referenced series table resolved from the one the hub holds.
            // The first byte says whether the rest is the body as sent, or a batch to deflate
            // first (so mutations reach the batch decoder past zlib's checksum).
            var input = FuzzInput(bytes)
            let deflate = input.byte() & 1 == 1
            let rest = input.rest()
            let body = deflate ? Zlib.compress(rest, level: 1) : rest
            let limits = UplinkBatch.Limits.fuzzing
            guard var batch = try? IngestBody.decode(body, maxDecompressedBytes: 1 << 20, limits: limits).batch else { return }
            if batch.seriesReference != nil { try? IngestBody.resolve(&batch, table: heldSeriesTable, limits: limits) }
            _ = batch.sampleCount
        },
        FuzzTarget(name: "batch-roundtrip") { bytes in
            var input = FuzzInput(bytes)
            let batch = input.batch()
            for version4 in [true, false] {
                let decoded = Result { () throws(UplinkBatch.DecodingError) in try UplinkBatch.decode(batch.encoded(version4: version4)) }
                FuzzCheck.require(
                    (try? decoded.get())?.isIdentical(to: batch) == true,
                    "batch (format 4: \(version4)) decodes differently: \(batch) → \(decoded)"
                )
            }
            let inflated = try? Zlib.decompress(batch.compressed(), limit: 64 << 20)
            FuzzCheck.require(inflated == batch.encoded(), "zlib round trip")
        },
    ]

    /// The series table the fuzzed hub holds for referenced batches.
    static let heldSeriesTable = UplinkBatch.seriesTable([
        SeriesKey(name: "node_load1", labels: [:], type: .gauge),
        SeriesKey(name: "container_cpu_usage_seconds_total", labels: ["pod": "web-0", "namespace": "default"], type: .counter),
    ])
}

extension UplinkBatch.Limits {
    /// The hub's default limits, smaller where a fuzz input could otherwise allocate for long.
    static var fuzzing: UplinkBatch.Limits {
        var limits = UplinkBatch.Limits()
        limits.maxSamples = 200_000
        return limits
    }
}

extension UplinkBatch {
    /// Equal field by field, the block bit for bit.
    func isIdentical(to other: UplinkBatch) -> Bool {
        var left = self
        var right = other
        guard left.block.isIdentical(to: right.block) else { return false }
        left.block = Block(timestamps: [], columns: 1, series: [])
        right.block = left.block
        return left == right
    }
}
