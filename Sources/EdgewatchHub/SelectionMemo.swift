import Synchronization

/// The selections a kept set of wanted series made of stored blocks, by block id: the next query
/// with the same matchers (``WantedSeriesCache``) takes a block's from here instead of reading its
/// series list and matching it. A dashboard refreshing one metric over a fleet's open period meets
/// the same 10,000 batch blocks, each list a kilobyte, and making their selections again was about
/// a third of its time reading them on SQLite. A block's id names the same series list for as long
/// as the hub runs (``BlockIDSequence``), and the wanted series are those the selections were made
/// for while the set is kept.
final class SelectionMemo: Sendable {
    /// A block's node, tier, first sample time, and its selection; nil when it holds none of the
    /// wanted series (it is passed over).
    struct Remembered: Sendable {
        let node: String
        let tier: Int
        let first: Int64
        let selection: BlockSelection?
    }

    private let held = Mutex<[Int64: Remembered]>([:])

    /// Blocks remembered at most (about 40 bytes a block, and a few hundred a node's selection):
    /// a query that met more remembers none.
    static let limit = 1 << 17

    init() {}

    /// What is remembered now (a copy, looked up without the lock).
    func snapshot() -> [Int64: Remembered] {
        held.withLock { $0 }
    }

    /// Remembers the blocks a query met, in place of those before: blocks upkeep deleted since
    /// (folded into others, or past retention) are forgotten with the next query that met a new one.
    func replace(with blocks: [Int64: Remembered]) {
        held.withLock { $0 = blocks.count <= Self.limit ? blocks : [:] }
    }
}
