/// The answer to an accepted ingest.
struct IngestReply: Encodable {
    var stored: Bool
    var duplicate: Bool
    var samples: Int
}
