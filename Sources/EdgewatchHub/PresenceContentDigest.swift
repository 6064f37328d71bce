import EdgewatchCore
import EdgewatchEncoding
import EdgewatchWire

/// What a presence row's series are labelled, in 32 bytes, known at ingest without reading a
/// label set: the SHA-256 of the batch's series table (``UplinkBatch/seriesTableHash(_:)``: the
/// names and labels its node sent, without `node`) and of the positions in it of the row's
/// series. Nodes that run the same series send the same table, so their rows share it; a listing
/// then looks up the labels of one list per digest and cluster (``ListLabelsCache``), not of
/// every node's (2000 nodes' label sets had made the first listing after a start take 5 s).
enum PresenceContentDigest {
    /// The digest of the series at `positions` (sorted, distinct) of the table hashed `table`.
    static func of(table: [UInt8], positions: [Int64]) -> [UInt8] {
        var hash = SHA256()
        hash.update(table)
        hash.update(Varint.encodeAll(positions.lazy.map { UInt64(bitPattern: $0) }))
        return hash.finalize()
    }

    /// The hash of `batch`'s series table: `named`, the hash the batch named it by (resolving
    /// the table clears the batch's own), else its inline table hashed; nil when it has none.
    static func table(of batch: UplinkBatch, named: [UInt8]?) -> [UInt8]? {
        named ?? batch.seriesReference ?? (batch.series.isEmpty ? nil : UplinkBatch.seriesTableHash(batch.series))
    }
}
