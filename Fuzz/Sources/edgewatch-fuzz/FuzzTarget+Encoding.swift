import EdgewatchEncoding

extension FuzzTarget {
    /// The store's block codecs and varints: hostile bytes decode or fail cleanly; what is
    /// encoded decodes to the same bits.
    static let encodingTargets: [FuzzTarget] = [
        FuzzTarget(name: "block-decode") { bytes in
            var codec = BlockCodec()
            for chunk in bytes.split(separator: 0xff, maxSplits: 4, omittingEmptySubsequences: false) {
                _ = try? codec.decode(Array(chunk))
            }
            _ = try? DeltaBlockCodec.decode(bytes)
            // A block coded alone read the hub's ways: some series kept, or reached through a series index.
            let parts = bytes.split(separator: 0xfe, maxSplits: 1, omittingEmptySubsequences: false).map { Array($0) }
            _ = try? BlockCodec.decode(parts[0], keeping: [true, false, true, true])
            if parts.count == 2 {
                let positions = [0, 2, 17, 40, 41]
                _ = try? parts[0].withUnsafeBytes { block in
                    try parts[1].withUnsafeBytes { index in try BlockCodec.decode(block, positions: positions, index: index) }
                }
                // The ranges a partial read fetches lie inside the block, whatever the index says.
                let ranges = try? parts[1].withUnsafeBytes { index in
                    try BlockCodec.indexedRanges(positions: positions, index: index, count: parts[0].count)
                }
                for range in ranges ?? [] {
                    FuzzCheck.require(range.lowerBound >= 0 && range.upperBound <= parts[0].count, "range \(range) of \(parts[0].count) bytes")
                }
            }
            if let index = BlockCodec.seriesIndex(parts[0], stride: 2) {
                _ = try? parts[0].withUnsafeBytes { block in
                    try index.withUnsafeBytes { index in try BlockCodec.decode(block, positions: [1, 3, 4], index: index) }
                }
            }
        },
        FuzzTarget(name: "block-roundtrip") { bytes in
            var input = FuzzInput(bytes)
            let forgets = input.byte() & 1 == 1
            var encoder = BlockCodec(forgetsAbsentSeries: forgets)
            var decoder = BlockCodec()
            let columns = input.byte() & 1 == 0 ? 1 : 5  // a chain is one segment: one column count
            for index in 0..<(1 + input.count(3)) {
                let block = input.block(columns: columns)
                guard let decoded = try? decoder.decode(encoder.encode(block)) else {
                    FuzzCheck.require(false, "block \(index) of a chain does not decode: \(block)")
                    return
                }
                FuzzCheck.require(decoded.isIdentical(to: block), "block \(index) decodes differently: \(block) → \(decoded)")
                let delta = DeltaBlockCodec.encode(block)
                let deltaDecoded = try? DeltaBlockCodec.decode(delta)
                FuzzCheck.require(deltaDecoded?.isIdentical(to: block) == true, "delta codec changes \(block) → \(String(describing: deltaDecoded))")
            }
        },
        FuzzTarget(name: "varint") { bytes in
            var input = FuzzInput(bytes)
            let values = (0..<input.count(16)).map { _ in input.uint64() >> UInt64(input.byte() % 64) }
            var encoded: [UInt8] = []
            for value in values {
                Varint.append(value, to: &encoded)
                Varint.append(signed: Int64(bitPattern: value), to: &encoded)
            }
            var index = 0
            for value in values {
                FuzzCheck.require((try? Varint.read(encoded, at: &index)) == value, "varint \(value)")
                FuzzCheck.require((try? Varint.readSigned(encoded, at: &index)) == Int64(bitPattern: value), "signed varint \(value)")
            }
            FuzzCheck.require(index == encoded.count, "varints leave \(encoded.count - index) bytes")
            let rest = input.rest()
            _ = Varint.decodeAll(rest)
        },
    ]
}
