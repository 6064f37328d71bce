import EdgewatchEncoding
import Testing

/// A block's sparse series index reaches the wanted series without walking every header, and
/// decodes exactly what the full walk decodes; a damaged index fails rather than misreads.
@Suite struct BlockSeriesIndexTests {
    /// `count` series numbered by position, every third with a presence bitmap, `columns` wide.
    static func block(series count: Int, columns: Int) -> Block {
        let rows = 6
        return Block(
            timestamps: (0..<rows).map { Int64(1_800_000_000_000 + $0 * 10_000) },
            columns: columns,
            series: (0..<count).map { position in
                let present: [Bool]? = position % 3 == 0 ? (0..<rows).map { ($0 + position) % 4 != 0 } : nil
                let values = (present ?? Array(repeating: true, count: rows)).filter { $0 }.indices.map { Double(position * 100 + $0) + 0.5 }
                return BlockSeries(
                    id: Int64(position),
                    present: present,
                    values: (0..<columns).map { column in values.map { $0 * Double(column + 1) } }
                )
            }
        )
    }

    @Test(arguments: [(1, 16), (5, 16), (1, 3), (1, 1)])
    func indexedDecodingMatchesTheFullWalk(columns: Int, stride: Int) throws {
        var codec = BlockCodec()
        let bytes = codec.encode(Self.block(series: 100, columns: columns))
        let index = try #require(BlockCodec.seriesIndex(bytes, stride: stride))
        #expect(index.count == 2 + 2 * ((100 + stride - 1) / stride), "two-byte offsets for a small block")
        for positions in [[0], [99], [15, 16, 17], [1, 40, 41, 98], Array(0..<100), [], [7, 7]] {
            let wanted = (0..<100).map { positions.contains($0) }
            let whole = try BlockCodec.decode(bytes, keeping: wanted)
            let indexed = try bytes.withUnsafeBytes { bytes in
                try index.withUnsafeBytes { index in try BlockCodec.decode(bytes, positions: positions, index: index) }
            }
            #expect(indexed.timestamps == whole.timestamps && indexed.columns == whole.columns)
            #expect(indexed.series == (positions == [7, 7] ? whole.series + whole.series : whole.series), "\(positions)")
        }
    }

    /// The block with only the bytes `indexedRanges` names copied in, the rest of the buffer
    /// filled with `filler` (another block's bytes, as a reused buffer would hold).
    static func sparse(_ bytes: [UInt8], positions: [Int], index: [UInt8], filler: [UInt8]) throws -> [UInt8] {
        let ranges = try index.withUnsafeBytes { index in try BlockCodec.indexedRanges(positions: positions, index: index, count: bytes.count) }
        var sparse = (0..<bytes.count).map { filler[$0 % filler.count] }
        for range in ranges { sparse.replaceSubrange(range, with: bytes[range]) }
        return sparse
    }

    @Test(arguments: [1, 3, 16])
    func decodingReadsOnlyTheIndexedRanges(stride: Int) throws {
        var codec = BlockCodec()
        let bytes = codec.encode(Self.block(series: 100, columns: 2))
        var other = BlockCodec()
        let filler = other.encode(Self.block(series: 120, columns: 2))
        let index = try #require(BlockCodec.seriesIndex(bytes, stride: stride))
        for positions in [[0], [99], [15, 16, 17], [1, 40, 41, 98], [31, 32, 33, 47, 48], Array(0..<100), [7, 7]] {
            let sparse = try Self.sparse(bytes, positions: positions, index: index, filler: filler)
            let indexed = try sparse.withUnsafeBytes { sparse in
                try index.withUnsafeBytes { index in try BlockCodec.decode(sparse, positions: positions, index: index) }
            }
            let whole = try bytes.withUnsafeBytes { bytes in
                try index.withUnsafeBytes { index in try BlockCodec.decode(bytes, positions: positions, index: index) }
            }
            #expect(indexed == whole, "\(positions)")
        }
        let ranges = try index.withUnsafeBytes { index in try BlockCodec.indexedRanges(positions: [50], index: index, count: bytes.count) }
        #expect(ranges.reduce(0) { $0 + $1.count } < bytes.count / 2, "one series of a hundred reads a fraction of the block")
    }

    /// Whatever the index says, decoding reads only the ranges it names: a damaged index gives the
    /// same outcome (mostly an error) on the sparse buffer as on the whole block.
    @Test func aDamagedIndexReadsNothingOutsideItsRanges() throws {
        var codec = BlockCodec()
        let bytes = codec.encode(Self.block(series: 64, columns: 1))
        let index = try #require(BlockCodec.seriesIndex(bytes))
        var failures = 0
        func shifted(_ checkpoints: Range<Int>, by shift: Int) -> [UInt8] {
            var damaged = index
            for checkpoint in checkpoints {
                let offset = Int(index[2 + checkpoint * 2]) | Int(index[3 + checkpoint * 2]) << 8
                damaged[2 + checkpoint * 2] = UInt8(truncatingIfNeeded: offset + shift)
                damaged[3 + checkpoint * 2] = UInt8(truncatingIfNeeded: (offset + shift) >> 8)
            }
            return damaged
        }
        // Every offset after the first moved, or only the third moved earlier (the walk through
        // the second stride then runs past where the index says it ends).
        let damages = [-3, -1, 1, 2, 5].map { shifted(1..<((index.count - 2) / 2), by: $0) } + [-1, -4].map { shifted(2..<3, by: $0) }
        for damaged in damages {
            for positions in [[20], [15, 16], [31, 32, 33], [0, 63], [31]] {
                // The same block as the filler: stale bytes that would decode, were they read.
                let sparse = try Self.sparse(bytes, positions: positions, index: damaged, filler: bytes.reversed())
                func outcome(_ bytes: [UInt8]) -> Result<Block, DecodingError> {
                    bytes.withUnsafeBytes { bytes in
                        damaged.withUnsafeBytes { index in
                            Result { () throws(DecodingError) -> Block in try BlockCodec.decode(bytes, positions: positions, index: index) }
                        }
                    }
                }
                let whole = outcome(bytes)
                if case .failure = whole { failures += 1 }
                #expect("\(outcome(sparse))" == "\(whole)", "\(damaged), \(positions)")
            }
        }
        #expect(failures >= 20, "most shifted indexes are caught")
    }

    @Test func aDamagedIndexOrABlockNotNumberedByPositionFails() throws {
        var codec = BlockCodec()
        let bytes = codec.encode(Self.block(series: 40, columns: 1))
        let index = try #require(BlockCodec.seriesIndex(bytes))
        func decode(_ index: [UInt8], _ positions: [Int] = [20], _ bytes: [UInt8] = bytes) throws -> Block {
            try bytes.withUnsafeBytes { bytes in
                try index.withUnsafeBytes { index in try BlockCodec.decode(bytes, positions: positions, index: index) }
            }
        }
        #expect(try decode(index).series.map(\.id) == [20])
        var shifted = index
        shifted[4] &+= 1  // the second offset one byte off
        #expect(throws: DecodingError.self) { try decode(shifted) }
        var outside = index
        outside[5] = 0xFF
        #expect(throws: DecodingError.self) { try decode(outside) }
        #expect(throws: DecodingError.self) { try decode([16, 3] + index.dropFirst(2)) }
        #expect(throws: DecodingError.self) { try decode(Array(index.prefix(4))) }
        #expect(throws: DecodingError.self) { try decode(index, [40]) }
        // Series numbered 0, 2, 4, …: not by position.
        var gapped = Self.block(series: 40, columns: 1)
        for position in gapped.series.indices { gapped.series[position].id = Int64(position * 2) }
        var other = BlockCodec()
        let gappedBytes = other.encode(gapped)
        let gappedIndex = try #require(BlockCodec.seriesIndex(gappedBytes))
        #expect(throws: DecodingError.self) { try decode(gappedIndex, [20], gappedBytes) }
    }
}
