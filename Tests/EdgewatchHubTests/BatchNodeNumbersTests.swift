import Testing

@testable import EdgewatchHub

/// A PostgreSQL replica numbers the nodes of the batch blocks' listings it reads
/// (``BatchBlockCache/numbers(of:)``), and a query groups its blocks by those numbers
/// (``PostgresHubStorage/byNode(_:)``), by name whenever a number may stand for two nodes.
@Suite struct BatchNodeNumbersTests {
    static func block(_ id: Int64, _ node: String, _ number: Int) -> ListedBlock {
        ListedBlock(id: id, node: node, tier: 0, minimum: 0, maximum: 10, ids: [1], index: [1], length: 8, data: nil, nodeNumber: number)
    }

    /// The same name has the same number; past the capacity every name is numbered again from 0,
    /// the listings held are forgotten, and a listing with its node's former number is not kept.
    @Test func nodesAreNumberedAgainPastTheCapacity() {
        var cache = BatchBlockCache()
        cache.serve("db")
        #expect(cache.numbers(of: ["a", "b", "a"]) == [0, 1, 0])
        cache.keep([Self.block(1, "a", 0), Self.block(2, "b", 1), Self.block(3, "b", 0)], now: 0)
        #expect(cache.listings([1, 2, 3], now: 0).found.map(\.id) == [1, 2])
        let many = (0..<BatchBlockCache.nodeNumbersCapacity).map { "m\($0)" }
        #expect(cache.numbers(of: many) == Array(0..<many.count))
        #expect(cache.listings([1, 2], now: 1).missing == [1, 2])
        cache.keep([Self.block(4, "a", 0)], now: 1)
        #expect(cache.listings([4], now: 1).missing == [4])
        // Full: a name not numbered yet has every name numbered again.
        #expect(cache.numbers(of: ["m0", "a"]) == [0, 1])
    }

    /// Each node's blocks in their order, the nodes by number; by name (in the order first met)
    /// when a block has no number or one number stands for two names.
    @Test func blocksGroupByNumberElseByName() {
        let numbered = [Self.block(1, "a", 1), Self.block(2, "b", 0), Self.block(3, "a", 1), Self.block(4, "b", 0)]
        #expect(PostgresHubStorage.byNode(numbered).map { "\($0.node): \($0.blocks.map(\.id))" } == ["b: [2, 4]", "a: [1, 3]"])
        let clash = [Self.block(1, "a", 0), Self.block(2, "b", 0), Self.block(3, "a", 0)]
        #expect(PostgresHubStorage.byNode(clash).map { "\($0.node): \($0.blocks.map(\.id))" } == ["a: [1, 3]", "b: [2]"])
        let unnumbered = [Self.block(1, "b", -1), Self.block(2, "a", 0), Self.block(3, "b", 1)]
        #expect(PostgresHubStorage.byNode(unnumbered).map { "\($0.node): \($0.blocks.map(\.id))" } == ["b: [1, 3]", "a: [2]"])
        #expect(PostgresHubStorage.byNode([]).isEmpty)
    }
}
