import EdgewatchWire

/// What the ingest route does with a request body, as a pure function the route and the fuzz
/// harness share: zlib within the inflate limit, then the batch within the batch limits.
enum IngestBody {
    /// Why a body was refused; the route turns each into its status and message.
    enum Failure: Error, Equatable {
        case inflatedTooLarge
        case badCompression(String)
        case batchLimit(String)
        case malformed(String)

        /// The refusal's message (the route names the limit for ``inflatedTooLarge``).
        var message: String {
            switch self {
            case .inflatedTooLarge: return "decompressed body exceeds its limit"
            case .badCompression(let reason): return "body is not valid zlib data: \(reason)"
            case .batchLimit(let message), .malformed(let message): return message
            }
        }
    }

    /// The batch in `body` and whether it was sent in format 4 (series tables by reference).
    static func decode(_ body: [UInt8], maxDecompressedBytes: Int, limits: UplinkBatch.Limits) throws(Failure) -> (batch: UplinkBatch, format4: Bool)
    {
        let inflated: [UInt8]
        do {
            inflated = try Zlib.decompress(body, limit: maxDecompressedBytes)
        } catch {
            switch error {
            case .tooLarge: throw .inflatedTooLarge
            case .corrupt(let reason): throw .badCompression(reason)
            }
        }
        do {
            return (try UplinkBatch.decode(inflated, limits: limits), UplinkBatch.isFormat4(inflated))
        } catch {
            if case .limit(let message) = error { throw .batchLimit(message) }
            throw .malformed("batch: \(error)")
        }
    }

    /// Fills in a batch's referenced series from `table`, a table the hub kept for its node.
    static func resolve(_ batch: inout UplinkBatch, table: [UInt8], limits: UplinkBatch.Limits) throws(Failure) {
        do {
            try batch.resolveSeries(table: table, limits: limits)
        } catch {
            throw .malformed("batch: \(error)")
        }
    }
}
