import EdgewatchCore

/// A label set's key in the hub's long-lived maps of series ids: 16 bytes, where the set itself
/// (an array of label strings, most of them on the heap) took about 400 bytes a series, most of
/// the hub's memory at a million series.
///
/// Two 64-bit hashes of the same set: its ``Labels/fingerprint`` (FNV-1a, stable) and Swift's
/// `Hasher` (SipHash, seeded at random per process). Honest label sets share a digest with a
/// chance of about 2⁻¹²⁸ a pair; a node crafting sets that share a fingerprint still meets the
/// seeded hash it cannot see. Only in memory: never stored, never sent.
struct SeriesDigest: Hashable, Sendable {
    let fingerprint: UInt64
    let seeded: Int

    init(_ labels: Labels) {
        fingerprint = labels.fingerprint
        seeded = labels.hashValue
    }
}

extension SeriesDigest {
    /// `ids` keyed by the digests of their label sets.
    static func keyed(_ ids: [Labels: Int64]) -> [SeriesDigest: Int64] {
        Dictionary(ids.map { (SeriesDigest($0.key), $0.value) }) { _, new in new }
    }
}
