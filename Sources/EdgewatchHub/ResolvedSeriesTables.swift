import EdgewatchCore
import EdgewatchWire
import Synchronization

/// Per node, the series table its last batch stored here named and the hub's ids of that
/// table's series (ids never change, so no other replica's batch can make them wrong): the
/// node's next batches naming it map straight to ids, neither resolved nor looked up by label.
final class ResolvedSeriesTables: Sendable {
    private let tables = Mutex<[String: (hash: [UInt8], ids: [Int64])]>([:])

    /// How many series the table `hash` has when it is `node`'s last one here.
    func count(node: String, hash: [UInt8]) -> Int? {
        tables.withLock { $0[node].flatMap { $0.hash == hash ? $0.ids.count : nil } }
    }

    /// `batch` made ready to store: the ids it maps to when it names its node's last table here;
    /// otherwise, when the route left its series out (the table changed since it looked), with
    /// its series filled in from the table `kept` returns.
    func prepare(
        _ batch: UplinkBatch,
        kept: (String, [UInt8]) throws -> [UInt8]?
    ) throws -> (batch: UplinkBatch, ids: [Int64]?) {
        guard let reference = batch.seriesReference else { return (batch, nil) }
        if let ids = tables.withLock({ $0[batch.node].flatMap { $0.hash == reference ? $0.ids : nil } }) { return (batch, ids) }
        var batch = batch
        if batch.series.isEmpty, !batch.block.series.isEmpty {
            guard let table = try kept(batch.node, reference) else {
                throw HubError("series table \(SHA256.hex(reference)) is not kept for node \"\(batch.node)\"")
            }
            try batch.resolveSeries(table: table)
        }
        return (batch, nil)
    }

    /// A batch naming `hash` was stored with these ids (committed).
    func remember(node: String, hash: [UInt8], ids: [Int64]) {
        tables.withLock { $0[node] = (hash, ids) }
    }
}
