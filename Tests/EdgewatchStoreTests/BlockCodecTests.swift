import EdgewatchEncoding
import EdgewatchStore
import Testing

@Suite("Block codec")
struct BlockCodecTests {
    @Test("a block coded alone decodes with only the wanted series, the others skipped by length")
    func selectedSeries() throws {
        let block = Block(
            timestamps: [10, 20, 30],
            columns: 5,
            series: [
                BlockSeries(id: 2, present: nil, values: (0..<5).map { column in [1, 2, 3].map { $0 * Double(column + 1) } }),
                BlockSeries(id: 5, present: [true, false, true], values: (0..<5).map { _ in [7, .nan] }),
                BlockSeries(id: 9, present: nil, values: (0..<5).map { _ in [-1, -2, -3] }),
            ]
        )
        var encoder = BlockCodec()
        let bytes = encoder.encode(block)
        let kept = try BlockCodec.decode(bytes, keeping: (0..<10).map { $0 != 2 })
        #expect(kept.timestamps == [10, 20, 30] && kept.columns == 5)
        #expect(kept.series.map(\.id) == [5, 9] && kept.series[1] == block.series[2] && kept.series[0].present == [true, false, true])
        #expect(try BlockCodec.decode(bytes, keeping: Array(repeating: true, count: 10)).series.count == 3)
        // Ids past the end of `wanted` are not wanted.
        #expect(try BlockCodec.decode(bytes, keeping: [false, false, true]).series.map(\.id) == [2])
        #expect(throws: DecodingError.self) { try BlockCodec.decode(Array(bytes.dropLast(3)), keeping: (0..<10).map { $0 == 9 }) }
    }

    @Test("a chain of blocks round-trips exactly, NaN, infinities, resets and absent rows included")
    func roundTrip() throws {
        var encoder = BlockCodec()
        var decoder = BlockCodec()
        var counter = 1000.0
        for blockIndex in 0..<20 {
            let timestamps = (0..<6).map { Int64(1_732_000_000_000 + (blockIndex * 6 + $0) * 10_000 + ($0 == 3 ? 7 : 0)) }
            var gauge: [Double] = []
            var counters: [Double] = []
            for row in 0..<6 {
                gauge.append(row == 2 ? .nan : (blockIndex == 7 ? .infinity : 42.5))
                counter = blockIndex == 10 && row == 0 ? 3 : counter + Double(row * 17) + 0.25
                counters.append(counter)
            }
            let block = Block(
                timestamps: timestamps,
                columns: 1,
                series: [
                    BlockSeries(id: 3, present: nil, values: [gauge]),
                    BlockSeries(id: 9, present: nil, values: [counters]),
                    BlockSeries(id: 12, present: [true, false, false, true, false, true], values: [[1, -2, 1e300]]),
                ]
            )
            let bytes = encoder.encode(block)
            let decoded = try decoder.decode(bytes)
            #expect(decoded.timestamps == block.timestamps)
            #expect(decoded.series.map(\.id) == [3, 9, 12])
            #expect(decoded.series[0].values[0].map(\.bitPattern) == gauge.map(\.bitPattern))
            #expect(decoded.series[1].values == [counters])
            #expect(decoded.series[2].present == [true, false, false, true, false, true])
            #expect(decoded.series[2].values == [[1, -2, 1e300]])
        }
    }

    @Test("a version 2 chain forgets series absent from a block: state follows the last block; one that returns decodes exactly")
    func forgetsAbsentSeries() throws {
        var encoder = BlockCodec(forgetsAbsentSeries: true)
        var decoder = BlockCodec()
        for blockIndex in 0..<30 {
            let timestamps = (0..<3).map { Int64(blockIndex * 3 + $0) * 1000 }
            // Series 1 and 2 always; a burst of 100 short-lived series in blocks 5–7; series 7 in
            // every third block only.
            var ids: [Int64] = [1, 2]
            if (5...7).contains(blockIndex) { ids += (1000..<1100).map { Int64($0) } }
            if blockIndex % 3 == 0 { ids.append(7) }
            let series = ids.sorted().map { id in
                BlockSeries(id: id, present: nil, values: [timestamps.map { Double(id) * 0.5 + Double($0 % 7_000) }])
            }
            let block = Block(timestamps: timestamps, columns: 1, series: series)
            let bytes = encoder.encode(block)
            #expect(bytes[0] == 2)
            #expect(encoder.seriesCount == ids.count)
            let decoded = try decoder.decode(bytes)
            #expect(decoded.series.map(\.id) == series.map(\.id))
            #expect(decoded.series.map(\.values) == series.map(\.values))
            #expect(decoder.seriesCount == ids.count)
        }
    }

    @Test("steady series cost about a bit per sample")
    func compact() {
        var encoder = BlockCodec()
        var total = 0
        var samples = 0
        for blockIndex in 0..<60 {
            let timestamps = (0..<6).map { Int64((blockIndex * 6 + $0) * 10_000) }
            var series: [BlockSeries] = []
            for id in 1...500 {
                var values: [Double] = []
                for row in 0..<6 {
                    let counter = Double(blockIndex * 6 + row) * 8192
                    values.append(id % 3 == 0 ? counter : Double(id))
                }
                series.append(BlockSeries(id: Int64(id), present: nil, values: [values]))
            }
            total += encoder.encode(Block(timestamps: timestamps, columns: 1, series: series)).count
            samples += 6 * 500
        }
        #expect(Double(total) / Double(samples) < 1.0)
    }

    @Test("truncated or corrupted blocks throw instead of crashing")
    func corrupted() throws {
        var encoder = BlockCodec()
        let bytes = encoder.encode(
            Block(
                timestamps: [1, 2, 3],
                columns: 5,
                series: [
                    BlockSeries(id: 1, present: nil, values: Array(repeating: [1, 2, 3], count: 5))
                ]
            )
        )
        for cut in 0..<bytes.count {
            var decoder = BlockCodec()
            #expect(throws: DecodingError.self) { try decoder.decode(Array(bytes[0..<cut])) }
        }
        var decoder = BlockCodec()
        var wrongVersion = bytes
        wrongVersion[0] = 9
        #expect(throws: DecodingError.badVersion(9)) { try decoder.decode(wrongVersion) }
    }

    /// Found by the fuzzer (Fuzz/corpus/block-decode): counts and id deltas beyond Int's range
    /// trapped in the conversion or the sum instead of failing as malformed.
    @Test("counts and ids beyond Int64 fail as malformed")
    func hugeCountsAndIDs() {
        let inputs: [[UInt8]] = [
            [0x01, 0x1b, 0xa5, 0xe9, 0xe9, 0xe9, 0xe9, 0xe9, 0xa5, 0xe9, 0xa2, 0x01, 0xf7],
            [0x01, 0x01, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        ]
        for bytes in inputs {
            var decoder = BlockCodec()
            #expect(throws: DecodingError.self) { try decoder.decode(bytes) }
        }
        // Id deltas wrap (as the encoder's do) rather than trap.
        var decoder = BlockCodec()
        let wrapping: [UInt8] = [0x01, 0x01, 0x00, 0x02, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x02, 0x00]
        #expect((try? decoder.decode(wrapping)).map { $0.series.map(\.id) } == [Int64.max, Int64.min + 1])
    }
}
