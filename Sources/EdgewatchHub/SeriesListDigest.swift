import EdgewatchCore
import EdgewatchEncoding

/// A block's series list in 32 bytes (SHA-256 of its ids as varints), stored beside the list on
/// PostgreSQL: a query's listing compares a node's consecutive blocks by it and sends each list
/// once, without the server decompressing every block's list to compare them.
enum SeriesListDigest {
    static func of(_ ids: [Int64]) -> [UInt8] {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(ids.count * 3)
        for id in ids { Varint.append(UInt64(bitPattern: id), to: &encoded) }
        var hash = SHA256()
        hash.update(encoded)
        return hash.finalize()
    }
}
