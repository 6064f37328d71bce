import EdgewatchEncoding
import EdgewatchPromQL
import Testing

@testable import EdgewatchHub

/// How one series' blocks become one list: joined when they follow each other, merged by time
/// and tier (the raw sample winning) when they overlap or arrive out of order.
@Suite struct BlockPointsTests {
    static func points(_ pairs: [(Int64, Double)]) -> [Point] { pairs.map { Point($0.0, $0.1) } }

    @Test func blocksThatFollowEachOtherAreJoinedInTimeOrder() {
        let later = (tier: 0, points: Self.points([(30, 3), (40, 4)]))
        let earlier = (tier: 0, points: Self.points([(10, 1), (20, 2)]))
        #expect(BlockPoints.merged([later, earlier]) == Self.points([(10, 1), (20, 2), (30, 3), (40, 4)]))
        #expect(BlockPoints.merged([earlier]) == earlier.points)
    }

    @Test func overlappingBlocksKeepOnePointPerInstantTheLowestTiers() {
        let rollup = (tier: 1, points: Self.points([(0, 100), (60, 160), (120, 220)]))
        let raw = (tier: 0, points: Self.points([(60, 6), (70, 7)]))
        #expect(BlockPoints.merged([rollup, raw]) == Self.points([(0, 100), (60, 6), (70, 7), (120, 220)]))
        // A block repeating an instant (two batches overlapping) keeps one point for it.
        let again = (tier: 0, points: Self.points([(70, 7), (80, 8)]))
        #expect(BlockPoints.merged([raw, again]) == Self.points([(60, 6), (70, 7), (80, 8)]))
        // One block out of order inside is sorted.
        #expect(BlockPoints.merged([(tier: 0, points: Self.points([(20, 2), (10, 1)]))]) == Self.points([(10, 1), (20, 2)]))
    }

    /// A series' blocks gathered in one array: blocks that follow each other are the answer as they
    /// are; any other order, overlap or a block out of order inside is merged as above.
    @Test func gatheredBlocksAnswerWhatMergingThemAnswers() {
        let orders: [[(tier: Int, points: [Point])]] = [
            [(0, Self.points([(10, 1), (20, 2)])), (0, Self.points([(30, 3)])), (1, Self.points([(40, 4), (50, 5)]))],
            [(0, Self.points([(30, 3), (40, 4)])), (0, Self.points([(10, 1), (20, 2)]))],
            [(1, Self.points([(0, 100), (60, 160), (120, 220)])), (0, Self.points([(60, 6), (70, 7)]))],
            [(0, Self.points([(60, 6), (70, 7)])), (0, Self.points([(70, 7), (80, 8)]))],
            [(0, Self.points([(20, 2), (10, 1)]))],
            [(0, Self.points([(10, 1)])), (0, Self.points([(30, 3), (20, 2)]))],
        ]
        for blocks in orders {
            var gathered = GatheredPoints()
            for block in blocks { gathered.append(tier: block.tier, block.points) }
            gathered.append(tier: 0, [])
            #expect(gathered.merged() == BlockPoints.merged(blocks))
        }
        #expect(GatheredPoints().merged().isEmpty)
    }

    @Test func seriesListsCompareByTheirBytes() {
        func same(_ a: [UInt8], _ b: [UInt8]) -> Bool { b.withUnsafeBytes { BlockPoints.sameBytes(a, $0) } }
        let list = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(same(list, list) && same([], []))
        #expect(!same(list, Array(list.dropLast())))
        var changed = list
        changed[999] &+= 1
        #expect(!same(list, changed) && !same([], [0]))
    }

    /// A selection made from a stored series list in one pass reads what `Varint.decodeAll` reads,
    /// a truncated last varint and an overlong one included: the same positions and ids as one
    /// made from the decoded list.
    @Test func storedSeriesListsSelectAsTheirDecodedIDsDo() {
        var generator = SystemRandomNumberGenerator()
        var lists: [[UInt8]] = [
            [], [0x80], [0x05, 0x80], Array(repeating: 0xFF, count: 12) + [0x01], [0x01] + Array(repeating: 0x80, count: 10) + [0x02],
        ]
        for _ in 0..<200 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<40, using: &generator) {
                Varint.append(UInt64.random(in: 0...(UInt64(1) << UInt64.random(in: 0...63, using: &generator)), using: &generator), to: &bytes)
            }
            if Bool.random(using: &generator), !bytes.isEmpty { bytes.removeLast() }
            lists.append(bytes)
        }
        for bytes in lists {
            let decoded = Varint.decodeAll(bytes).map { Int64(bitPattern: $0) }
            let mine = Array(Set(decoded.filter { _ in Bool.random(using: &generator) } + [-1, 17])).sorted()
            let stored = bytes.withUnsafeBytes { BlockSelection(encoded: $0, wantedAmong: mine) }
            let reference = BlockSelection(ids: decoded, wantedAmong: mine)
            #expect(stored.count == decoded.count && stored.positions == reference.positions, "\(bytes)")
            #expect(stored.positionIDs == reference.positionIDs && stored.wanted == reference.wanted, "\(bytes)")
            #expect(decoded.indices.allSatisfy { stored.id(at: $0) == (mine.contains(decoded[$0]) ? decoded[$0] : nil) })
        }
    }

    /// A selection marks exactly the positions of the node's wanted ids, however many it wants.
    @Test func aSelectionMarksTheWantedPositions() {
        let ids: [Int64] = [40, 7, 19, 3, 88, 19, 1000, 5]
        for mine in [[], [19], [3, 5, 7], Array(Int64(0)..<20), [1000, 2000], [1, 2, 4]] {
            let selection = BlockSelection(ids: ids, wantedAmong: mine.sorted())
            let expected = ids.indices.filter { mine.contains(ids[$0]) }
            #expect(selection.positions == expected && selection.wanted == ids.map { mine.contains($0) })
            #expect(selection.positionIDs == expected.map { ids[$0] } && selection.id(at: 0) == (mine.contains(40) ? 40 : nil))
            #expect(selection.wantsAny == !expected.isEmpty)
        }
    }
}
