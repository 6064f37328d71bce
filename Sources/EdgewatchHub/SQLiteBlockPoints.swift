import EdgewatchPromQL
import Synchronization

/// What the SQLite hub keeps of the blocks its queries read: per block and position, the points of
/// the series decoded of it (``BlockPoints/decoded(_:tier:selection:)``), as a PostgreSQL replica
/// keeps them (``BatchBlockCache``, whose bounds it shares). A block's id names the same bytes for
/// as long as the hub runs (``BlockIDSequence``: upkeep deletes blocks and stores others under new
/// ids), and a query still steps through its snapshot's blocks: a deleted block is never read, only
/// forgotten here in time. A dashboard refreshing over a fleet's open period reads the same 10,000
/// batch blocks again, less the few stored since; each was read from its pages and decoded anew.
final class SQLiteBlockPoints: Sendable {
    private let cache = Mutex(BatchBlockCache())

    /// Series held.
    var count: Int { cache.withLock { $0.count.series } }

    /// The points of `block`'s series at `positions`, one list each, when all are held.
    func points(of block: Int64, _ positions: [Int], now: Int64) -> [[Point]]? {
        cache.withLock { $0.points(of: block, positions, now: now) }
    }

    /// Keeps the points of blocks' series decoded, per block one list for each of its positions.
    func keep(_ decoded: [Int64: (positions: [Int], points: [[Point]])], now: Int64) {
        guard !decoded.isEmpty else { return }
        cache.withLock { $0.keep(points: decoded, now: now) }
    }
}
