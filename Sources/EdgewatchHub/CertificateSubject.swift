/// Reads a certificate's subject common name from its DER bytes (X.509, RFC 5280), so that the
/// hub can match a client certificate to the node it writes as without a second crypto library.
/// A pure function over bytes: anything malformed gives nil.
enum CertificateSubject {
    /// The object identifier 2.5.4.3 (commonName), as encoded.
    private static let commonNameOID: [UInt8] = [0x55, 0x04, 0x03]

    /// The subject's last (most significant) commonName, nil when absent or unreadable.
    static func commonName(der: [UInt8]) -> String? {
        guard let certificate = element(der, at: 0, tag: 0x30),
            let tbs = element(der, at: certificate.content.lowerBound, tag: 0x30)
        else { return nil }
        var offset = tbs.content.lowerBound
        // [0] EXPLICIT version, when present.
        if offset < tbs.content.upperBound, der[offset] == 0xA0 {
            guard let version = element(der, at: offset, tag: 0xA0) else { return nil }
            offset = version.end
        }
        // serialNumber, signature, issuer, validity; then subject.
        for tag: UInt8 in [0x02, 0x30, 0x30, 0x30] {
            guard let skipped = element(der, at: offset, tag: tag) else { return nil }
            offset = skipped.end
        }
        guard let subject = element(der, at: offset, tag: 0x30), subject.end <= tbs.content.upperBound else { return nil }
        return lastCommonName(der, in: subject.content)
    }

    private static func lastCommonName(_ der: [UInt8], in range: Range<Int>) -> String? {
        var found: String?
        var offset = range.lowerBound
        while offset < range.upperBound {
            guard let set = element(der, at: offset, tag: 0x31), set.end <= range.upperBound else { return nil }
            var inner = set.content.lowerBound
            while inner < set.content.upperBound {
                guard let pair = element(der, at: inner, tag: 0x30), pair.end <= set.content.upperBound,
                    let type = element(der, at: pair.content.lowerBound, tag: 0x06), type.end < pair.content.upperBound
                else { return nil }
                if Array(der[type.content]) == commonNameOID {
                    let value = element(der, at: type.end, tag: nil)
                    // UTF8String, PrintableString, IA5String or T61String.
                    if let value, [0x0C, 0x13, 0x16, 0x14].contains(der[type.end]), value.end <= pair.content.upperBound {
                        found = String(decoding: der[value.content], as: UTF8.self)
                    }
                }
                inner = pair.end
            }
            offset = set.end
        }
        return found
    }

    /// The DER element at `offset` (its tag checked unless nil): its content's range and where it ends.
    private static func element(_ der: [UInt8], at offset: Int, tag: UInt8?) -> (content: Range<Int>, end: Int)? {
        guard offset + 2 <= der.count, tag.map({ der[offset] == $0 }) ?? true else { return nil }
        var length = Int(der[offset + 1])
        var start = offset + 2
        if length & 0x80 != 0 {
            let bytes = length & 0x7F
            guard (1...4).contains(bytes), start + bytes <= der.count else { return nil }
            length = der[start..<start + bytes].reduce(0) { $0 << 8 | Int($1) }
            start += bytes
        }
        guard length <= der.count - start else { return nil }
        return (start..<start + length, start + length)
    }
}
