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

    @Test func seriesListsCompareByTheirBytes() {
        func same(_ a: [UInt8], _ b: [UInt8]) -> Bool { b.withUnsafeBytes { BlockPoints.sameBytes(a, $0) } }
        let list = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        #expect(same(list, list) && same([], []))
        #expect(!same(list, Array(list.dropLast())))
        var changed = list
        changed[999] &+= 1
        #expect(!same(list, changed) && !same([], [0]))
    }
}
