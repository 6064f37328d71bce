import Testing

@testable import EdgewatchHub

/// The ranges of block ends a listing of label sets reads, newest first.
@Suite struct ListingSlicesTests {
    @Test func rangesCoverTheWindowOnceNewestFirstDoubling() {
        let start: Int64 = 1_000_000
        let end = start + 6 * 3_600_000
        let slices = Array(ListingSlices(start: start, end: end))
        #expect(slices.first?.upperBound == .max)
        #expect(slices.first?.lowerBound == end - ListingSlices.firstLength)
        #expect(slices.last?.lowerBound == start)
        for (newer, older) in zip(slices, slices.dropFirst()) {
            #expect(older.upperBound == newer.lowerBound - 1)
        }
        let lengths = slices.dropFirst().dropLast().map { $0.upperBound - $0.lowerBound + 1 }
        #expect(lengths == [2, 4, 8].map { $0 * ListingSlices.firstLength })
        #expect(slices.count == 5)
    }

    @Test func oddWindowsEndCleanly() {
        #expect(Array(ListingSlices(start: 10, end: 5)).isEmpty)
        #expect(Array(ListingSlices(start: 7, end: 7)) == [7...Int64.max])
        let widest = Array(ListingSlices(start: .min, end: .max))
        #expect(widest.first?.upperBound == .max && widest.last?.lowerBound == .min)
        #expect(widest.count < 70)
        for (newer, older) in zip(widest, widest.dropFirst()) { #expect(older.upperBound == newer.lowerBound - 1) }
    }
}
