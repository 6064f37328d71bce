import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire

/// A batch to store, with what the storage already knows of it, and what storing it needs that
/// depends on the batch alone (worked out when the request is made, in the request's own thread,
/// so the writer's lock covers only what must be serial).
struct HubIngestRequest {
    /// The batch's block as stored: its encoding, the index of its series, and its first and last
    /// sample time.
    struct EncodedBlock {
        var data: [UInt8]
        var index: [UInt8]?
        var first: Int64
        var last: Int64
    }

    let batch: UplinkBatch
    let receivedAt: Int64
    let exclusive: Bool
    /// The hub's ids of the batch's series (by the block's series ids) when known already; the
    /// batch's series may then be unresolved.
    let seriesIDs: [Int64]?
    /// The node's series epoch `seriesIDs` were resolved at (``HubDatabaseWriter/seriesEpochs``).
    let epoch: Int64
    /// Each of the batch's series' labels with `node` and `__name__`, and their digest (none when
    /// `seriesIDs` are known).
    let series: [(labels: Labels, key: SeriesDigest)]
    /// Nil when the block holds no samples.
    let encoded: EncodedBlock?
    /// The SHA-256 of the batch's series table, which its presence rows' content digests start
    /// from (``PresenceContentDigest``); nil when the batch has no series.
    let seriesTable: [UInt8]?

    /// `table`: the hash the batch named its series table by, when resolving cleared it.
    init(
        batch: UplinkBatch,
        receivedAt: Int64,
        exclusive: Bool = false,
        seriesIDs: [Int64]? = nil,
        epoch: Int64 = 0,
        table: [UInt8]? = nil
    ) {
        self.batch = batch
        seriesTable = PresenceContentDigest.table(of: batch, named: table)
        self.receivedAt = receivedAt
        self.exclusive = exclusive
        self.seriesIDs = seriesIDs
        self.epoch = epoch
        series =
            seriesIDs != nil
            ? []
            : batch.series.map { info in
                let labels = info.labels.adding("node", batch.node).adding("__name__", info.name)
                return (labels, SeriesDigest(labels))
            }
        encoded = Self.encode(batch.block)
    }

    /// `block` as stored; nil when it holds no samples.
    private static func encode(_ block: Block) -> EncodedBlock? {
        guard let first = block.timestamps.min(), let last = block.timestamps.max(), !block.series.isEmpty else { return nil }
        var codec = BlockCodec()
        let data = codec.encode(block.numberedByPosition())
        // A query for one metric reaches its few series through the index, not past every header.
        return EncodedBlock(data: data, index: BatchSeriesIndex.index(of: data, seriesCount: block.series.count), first: first, last: last)
    }
}
