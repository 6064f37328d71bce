import EdgewatchCore
import Testing

@testable import EdgewatchPromQL

/// A counter function skips its walk over a window known to hold no fall; the index that knows
/// must agree with the walk on every window, and the skip must not change a result's bits.
@Suite struct CounterResetsTests {
    /// Series with falls at their first points, their last, in runs, none at all, an empty one,
    /// and NaN values (never a fall, as `<` with NaN is false).
    static let series: [[Double]] = [
        [5, 1, 2, 3, 0, 1, 1, 0.5, 7, 8],
        [1, 2, 3, 4, 5, 6],
        [],
        [3],
        [9, 8, 7, 6, 5],
        [1, .nan, 0, 2, .nan, 3, 1],
        [0, 0, 0, -1, -1, 2],
    ]

    static func points(_ values: [Double]) -> [Point] {
        values.enumerated().map { Point(Int64($0.offset) * 10_000, $0.element) }
    }

    @Test func knowsEveryWindowsFallsAsAWalkFindsThem() {
        let resets = CounterResets(Self.series.map(Self.points))
        for (index, values) in Self.series.enumerated() {
            for lower in 0...values.count {
                for upper in lower...values.count {
                    let walked = (lower..<upper).dropFirst().contains { values[$0] < values[$0 - 1] }
                    #expect(resets.any(index, in: lower..<upper) == walked, "series \(index), window \(lower)..<\(upper)")
                }
            }
        }
    }

    @Test func aWindowWithoutAFallRatesTheSameWithoutTheWalk() {
        for values in Self.series {
            let points = Self.points(values)
            let resets = CounterResets([points])
            points.withUnsafeBufferPointer { all in
                for lower in 0..<points.count {
                    for upper in (lower + 1)...points.count where !resets.any(0, in: lower..<upper) {
                        let window = UnsafeBufferPointer(rebasing: all[lower..<upper])
                        for isRate in [false, true] {
                            let rate = { (mayReset: Bool) in
                                RangeFunctions.extrapolatedRate(
                                    window,
                                    rangeStart: -5_000,
                                    rangeEnd: Int64(values.count) * 10_000,
                                    range: Int64(values.count) * 10_000 + 5_000,
                                    isCounter: true,
                                    mayReset: mayReset,
                                    isRate: isRate
                                )
                            }
                            #expect(rate(true)?.bitPattern == rate(false)?.bitPattern, "\(values), window \(lower)..<\(upper)")
                        }
                        #expect(RangeFunctions.resets(window) == 0)
                    }
                }
            }
        }
    }
}
