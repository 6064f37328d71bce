import Testing

@testable import EdgewatchHub

/// Fetched ranges laid at their offsets in one reused buffer read as a block's own buffer would.
struct BlockScratchTests {
    @Test func rangesLieAtTheirOffsetsAmongZerosUseAfterUse() {
        var scratch = BlockScratch()
        let first = scratch.with([(2, [7, 8]), (6, [9])], length: 8) { Array($0) }
        #expect(first == [0, 0, 7, 8, 0, 0, 9, 0])
        // A shorter block after: nothing of the first is left.
        #expect(scratch.with([(0, [5])], length: 4) { Array($0) } == [5, 0, 0, 0])
        #expect(scratch.with([], length: 10) { Array($0) } == Array(repeating: 0, count: 10))
    }

    @Test func aRangeOutsideTheBlockReadsNothing() {
        var scratch = BlockScratch()
        #expect(scratch.with([(3, [1, 2])], length: 4) { _ in true } == nil)
        #expect(scratch.with([(-1, [1])], length: 4) { _ in true } == nil)
        #expect(scratch.with([(0, [1])], length: -1) { _ in true } == nil)
        #expect(scratch.with([(3, [1])], length: 4) { Array($0) } == [0, 0, 0, 1])
    }
}
