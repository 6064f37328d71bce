import Testing

@testable import EdgewatchHub

/// A PostgreSQL replica keeps the batch listings its queries grouped by node
/// (``BatchBlockCache/listing(_:now:)``): a listing of exactly the same ids comes back grouped;
/// any other listing, an unused one past the age, and those past the bounds do not.
@Suite struct BatchListingTests {
    static func listing(_ ids: [Int64], grouped: Bool = true) -> BatchListing {
        let blocks = ids.map { BatchNodeNumbersTests.block($0, "n\($0 % 3)", Int($0 % 3)) }
        var listing = BatchListing(ids: ids, blocks: blocks)
        if grouped { listing.byNode = listing.grouped }
        return listing
    }

    /// The groups of a listing are its blocks by node, in the listing's order, with their ids.
    @Test func groupsAreTheBlocksByNode() {
        let groups = Self.listing([1, 2, 3, 4, 5], grouped: false).grouped
        #expect(groups.map { "\($0.node): \($0.ids)" } == ["n0: [3]", "n1: [1, 4]", "n2: [2, 5]"])
        #expect(groups.allSatisfy { $0.byRanges && $0.blocks.map(\.id) == $0.ids })
        let whole = ListedBlock(id: 9, node: "n", tier: 0, minimum: 0, maximum: 1, ids: [1], index: [], length: 8, data: nil)
        #expect(!NodeBlocks(node: "n", blocks: [whole]).byRanges)
    }

    /// Only exactly the same ids, in the same order, find a kept listing; an ungrouped one is not kept.
    @Test func onlyTheSameIDsFindAListing() {
        var cache = BatchBlockCache()
        cache.serve("db")
        cache.keep(listing: Self.listing([1, 2, 3], grouped: false), now: 0)
        #expect(cache.listing([1, 2, 3], now: 0) == nil)
        cache.keep(listing: Self.listing([1, 2, 3]), now: 0)
        #expect(cache.listing([1, 2, 3], now: 1)?.byNode?.map(\.node) == ["n0", "n1", "n2"])
        for other: [Int64] in [[1, 2], [1, 2, 3, 4], [2, 3, 4], [1, 3, 2], []] { #expect(cache.listing(other, now: 1) == nil) }
        // Another database (or the same restarted) forgets them.
        cache.serve("db2")
        #expect(cache.listing([1, 2, 3], now: 1) == nil)
    }

    /// A listing unused for the age is forgotten; one used within it is kept another age.
    @Test func unusedListingsAge() {
        var cache = BatchBlockCache()
        cache.keep(listing: Self.listing([1, 2]), now: 0)
        cache.keep(listing: Self.listing([3]), now: 0)
        #expect(cache.listing([1, 2], now: BatchBlockCache.age - 1) != nil)
        #expect(cache.listing([1, 2], now: 2 * BatchBlockCache.age - 2) != nil)
        #expect(cache.listing([3], now: 2 * BatchBlockCache.age - 2) == nil)
        // A clock that went back forgets them too.
        #expect(cache.listing([1, 2], now: -5) == nil)
    }

    /// At most ``BatchBlockCache/listingsKept`` listings, the last used kept; and of at most
    /// ``BatchBlockCache/blockCapacity`` blocks in all (a larger listing is not kept).
    @Test func listingsAreBounded() {
        var cache = BatchBlockCache()
        let kept = BatchBlockCache.listingsKept
        for first in 0..<Int64(kept) { cache.keep(listing: Self.listing([first]), now: 0) }
        #expect(cache.listing([0], now: 0) != nil)
        cache.keep(listing: Self.listing([100]), now: 0)
        #expect(cache.listing([1], now: 0) == nil)
        #expect(cache.listing([0], now: 0) != nil && cache.listing([100], now: 0) != nil)
        let large = Array(Int64(1000)..<Int64(1000 + BatchBlockCache.blockCapacity))
        cache.keep(listing: Self.listing(large), now: 0)
        #expect(cache.listing(large, now: 0) != nil)
        #expect(cache.listing([0], now: 0) == nil && cache.listing([100], now: 0) == nil)
        cache.keep(listing: Self.listing(large + [99_999_999]), now: 0)
        #expect(cache.listing(large + [99_999_999], now: 0) == nil)
        #expect(cache.listing(large, now: 0) != nil)
    }
}
