/// A digest's bytes as a dictionary key, hashed as one buffer: an array of bytes hashes each
/// element on its own, which made the lookups of a fleet's 2000 lists (32 bytes each) a tenth of
/// a label listing.
struct DigestBytes: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
