import EdgewatchCore
import EdgewatchEncoding

/// A block's series list in 32 bytes (SHA-256 of its ids as varints), stored beside the list on
/// PostgreSQL: a query's listing compares a node's consecutive blocks by it and sends each list
/// once, without the server decompressing every block's list to compare them.
enum SeriesListDigest {
    static func of(_ ids: [Int64]) -> [UInt8] {
        var hash = SHA256()
        hash.update(Varint.encodeAll(ids.lazy.map { UInt64(bitPattern: $0) }))
        return hash.finalize()
    }
}
