import EdgewatchCore
import EdgewatchWire
import Synchronization

/// Per node, the series table its last batch stored here named and the hub's ids of that
/// table's series (ids never change, so no other replica's batch can make them wrong): the
/// node's next batches naming it map straight to ids, neither resolved nor looked up by label.
/// Retention may delete some of those series (``PrunedSeries``): each table carries the node's
/// series epoch it was resolved at, and a store takes its ids only at the epoch it reads under
/// the node's lock (else it answers the batch stale, and the table is resolved again).
/// Kept for the nodes that sent lately (``RecentEntries/seriesAge``): a node back after hours
/// away, or retired, costs no memory; its next batch is resolved from its kept table.
final class ResolvedSeriesTables: Sendable {
    private let tables = Mutex(RecentEntries<String, Table>(age: RecentEntries<String, Table>.seriesAge))
    /// The time in milliseconds (the wall clock; tests pass their own).
    private let clock: @Sendable () -> Int64

    init(clock: @escaping @Sendable () -> Int64 = { HubClock.now() }) {
        self.clock = clock
    }

    /// A node's last series table and the hub's ids of its series.
    struct Table: Sendable {
        var hash: [UInt8]
        var ids: [Int64]
        var epoch: Int64
    }

    /// Nodes whose table is held.
    var count: Int { tables.withLock { $0.count } }

    /// How many series the table `hash` has when it is `node`'s last one here.
    func count(node: String, hash: [UInt8]) -> Int? {
        table(node: node, hash: hash)?.ids.count
    }

    /// `node`'s table held when its hash is `hash`.
    private func table(node: String, hash: [UInt8]) -> Table? {
        let now = clock()
        return tables.withLock { $0.value(for: node, now: now).flatMap { $0.hash == hash ? $0 : nil } }
    }

    /// `batch` made ready to store: the ids it maps to (and the node's series epoch they were
    /// resolved at) when it names its node's last table here; otherwise, when the route left its
    /// series out (the table changed since it looked), with its series filled in from the table
    /// `kept` returns.
    func prepare(
        _ batch: UplinkBatch,
        kept: (String, [UInt8]) throws -> [UInt8]?
    ) throws -> (batch: UplinkBatch, ids: [Int64]?, epoch: Int64) {
        guard let reference = batch.seriesReference else { return (batch, nil, 0) }
        if let table = table(node: batch.node, hash: reference) { return (batch, table.ids, table.epoch) }
        var batch = batch
        if batch.series.isEmpty, !batch.block.series.isEmpty {
            guard let table = try kept(batch.node, reference) else {
                throw HubError("series table \(SHA256.hex(reference)) is not kept for node \"\(batch.node)\"")
            }
            try batch.resolveSeries(table: table)
        }
        return (batch, nil, 0)
    }

    /// A batch naming `hash` was stored with these ids (committed) at the node's series `epoch`.
    func remember(node: String, hash: [UInt8], ids: [Int64], epoch: Int64 = 0) {
        let now = clock()
        tables.withLock { $0.insert([node: Table(hash: hash, ids: ids, epoch: epoch)], now: now) }
    }

    /// Forgets the node's table (its ids went out of date).
    func forget(node: String) {
        tables.withLock { $0.remove([node]) }
    }
}
