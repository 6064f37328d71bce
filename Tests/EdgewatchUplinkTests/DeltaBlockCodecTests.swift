import EdgewatchEncoding
import Testing

/// The uplink's byte-aligned block codec: exact bits back, whatever the values.
@Suite struct DeltaBlockCodecTests {
    static let stale = Double(bitPattern: 0x7FF0_0000_0000_0002)

    func bits(_ block: Block) -> [[[UInt64]]] { block.series.map { $0.values.map { $0.map(\.bitPattern) } } }

    @Test func everyValueComesBackWithItsExactBits() throws {
        let odd: [Double] = [.nan, Self.stale, .infinity, -.infinity, -0.0, 0, 1e300, -1e-300, .greatestFiniteMagnitude, 0.1, 0.2]
        let block = Block(
            timestamps: [1_800_000_000_000, 1_800_000_010_000, 1_800_000_020_001, 1_800_000_029_999, 1_800_000_040_000],
            columns: 1,
            series: [
                // A counter with a fractional start and integral steps; a constant; integers; odd values.
                BlockSeries(id: 0, present: nil, values: [[523_417.125, 523_480.125, 523_611.125, 523_612.125, 523_700.125]]),
                BlockSeries(id: 1, present: nil, values: [[42, 42, 42, 42, 42]]),
                BlockSeries(id: 5, present: nil, values: [[-3, 9_007_199_254_740_992, 0, -0.0, 7]]),
                BlockSeries(id: 6, present: [true, false, true, true, false], values: [[odd[0], odd[1], odd[2]]]),
                BlockSeries(id: 200, present: [false, false, false, false, false], values: [[]]),
                BlockSeries(id: 201, present: nil, values: [Array(odd[4...8])]),
            ]
        )
        let decoded = try DeltaBlockCodec.decode(DeltaBlockCodec.encode(block))
        #expect(decoded.timestamps == block.timestamps && decoded.columns == 1)
        #expect(decoded.series.map(\.id) == block.series.map(\.id) && decoded.series.map(\.present) == block.series.map(\.present))
        #expect(bits(decoded) == bits(block))
        let rollup = Block(
            timestamps: [0, 60_000],
            columns: 5,
            series: [BlockSeries(id: 3, present: nil, values: [[1, 2], [3, 4], [10.5, 0.25], [6, 6], [Self.stale, 2]])]
        )
        #expect(bits(try DeltaBlockCodec.decode(DeltaBlockCodec.encode(rollup))) == bits(rollup))
        let empty = Block(timestamps: [], columns: 1, series: [])
        #expect(try DeltaBlockCodec.decode(DeltaBlockCodec.encode(empty)) == empty)
    }

    @Test func integralStepsCostAboutAByte() {
        let counter = (0..<60).map { 1_000_000.5 + Double($0 * 37) }
        let block = Block(timestamps: (0..<60).map { Int64($0) * 10_000 }, columns: 1, series: [BlockSeries(id: 0, present: nil, values: [counter])])
        #expect(DeltaBlockCodec.encode(block).count < 60 + 59 + 20)
    }

    @Test func damagedInputThrowsInsteadOfTrapping() {
        let block = Block(
            timestamps: [1, 2, 3],
            columns: 1,
            series: [BlockSeries(id: 0, present: [true, false, true], values: [[0.5, 7]]), BlockSeries(id: 1, present: nil, values: [[1, 2, 3]])]
        )
        let bytes = DeltaBlockCodec.encode(block)
        for cut in 0..<bytes.count {
            #expect(throws: DecodingError.self) { try DeltaBlockCodec.decode(Array(bytes.prefix(cut))) }
        }
        #expect(throws: DecodingError.malformed("trailing bytes after the block")) { try DeltaBlockCodec.decode(bytes + [0]) }
        // Flip every byte in turn: an error or a block, never a trap.
        for index in bytes.indices {
            var damaged = bytes
            damaged[index] ^= 0xFF
            _ = try? DeltaBlockCodec.decode(damaged)
        }
        #expect(throws: DecodingError.self) { try DeltaBlockCodec.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) }
    }
}
