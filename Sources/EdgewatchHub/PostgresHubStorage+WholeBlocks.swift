import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchPromQL

/// Reading blocks whole: a metric's own blocks (rewritten by upkeep, one metric of one node, a few
/// hundred bytes) and, rarely, a batch block whose ranges did not decode. Their listing sends no
/// data: the points of each series read are kept by block and position (``BatchBlockCache``, as a
/// batch block's are), and only the blocks not held are fetched and decoded. A fleet panel over
/// compacted data lists the same 2000 blocks of a metric at each refresh; sending and decoding them
/// all again was a third of the hub's time on such a query.
extension PostgresHubStorage {
    /// Adds the wanted points of `whole` (blocks read whole): those held, and of the others the
    /// blocks fetched, decoded and their points kept; returns how many did not decode.
    func readWhole(
        _ whole: [(block: ListedBlock, selection: BlockSelection)],
        into points: inout BlockPoints,
        _ connection: PostgresConnection
    ) throws(PostgresError) -> Int {
        guard !whole.isEmpty else { return 0 }
        let now = HubClock.now()
        var unheld: [(block: ListedBlock, selection: BlockSelection)] = []
        var held: [(block: ListedBlock, selection: BlockSelection, points: [[Point]])] = []
        batchBlocks.withLock { cache in
            for part in whole {
                if let found = cache.points(of: part.block.id, part.selection.positions, now: now) {
                    held.append((part.block, part.selection, found))
                } else {
                    unheld.append(part)
                }
            }
        }
        for part in held { points.add(node: part.block.node, tier: part.block.tier, selection: part.selection, decoded: part.points) }
        let data = try fetchWhole(unheld.map(\.block.id), connection)
        var damaged = 0
        var decoded: [Int64: (positions: [Int], points: [[Point]])] = [:]
        for (block, selection) in unheld {
            guard let bytes = data[block.id], let read = try? BlockCodec.decode(bytes, keeping: selection.wanted) else {
                damaged += 1
                continue
            }
            let series = BlockPoints.decoded(read, tier: block.tier, selection: selection)
            points.add(node: block.node, tier: block.tier, selection: selection, decoded: series)
            decoded[block.id] = (selection.positions, series)
        }
        batchBlocks.withLock { $0.keep(points: decoded, now: now) }
        return damaged
    }

    /// Whole blocks by id.
    private func fetchWhole(_ ids: [Int64], _ connection: PostgresConnection) throws(PostgresError) -> [Int64: [UInt8]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try connection.query("SELECT id, data FROM blocks WHERE id = ANY($1::int8[])", [.intArray(ids)])
        var result: [Int64: [UInt8]] = [:]
        for row in 0..<rows.rowCount { result[try rows.int(row, 0)] = try rows.bytes(row, 1) }
        return result
    }
}
