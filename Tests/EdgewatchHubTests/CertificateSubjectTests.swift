import Testing

@testable import EdgewatchHub

/// The common name read from a certificate's DER bytes; anything malformed gives nil.
@Suite struct CertificateSubjectTests {
    /// A minimal certificate shape: version, serial, algorithm, issuer, validity, subject.
    func certificate(subject: [UInt8]) -> [UInt8] {
        let tbs: [UInt8] =
            [0xA0, 0x03, 0x02, 0x01, 0x02] + [0x02, 0x01, 0x01] + [0x30, 0x00] + [0x30, 0x00] + [0x30, 0x00] + subject
        return [0x30, UInt8(tbs.count + 2), 0x30, UInt8(tbs.count)] + tbs
    }

    func name(_ parts: [(oid: UInt8, tag: UInt8, value: String)]) -> [UInt8] {
        var sets: [UInt8] = []
        for part in parts {
            let value = Array(part.value.utf8)
            let pair: [UInt8] = [0x06, 0x03, 0x55, 0x04, part.oid, part.tag, UInt8(value.count)] + value
            sets += [0x31, UInt8(pair.count + 2), 0x30, UInt8(pair.count)] + pair
        }
        return [0x30, UInt8(sets.count)] + sets
    }

    @Test func readsTheLastCommonName() {
        let der = certificate(subject: name([(0x0A, 0x0C, "Edge Inc"), (0x03, 0x0C, "first"), (0x03, 0x13, "edge-a")]))
        #expect(CertificateSubject.commonName(der: der) == "edge-a")
        #expect(CertificateSubject.commonName(der: certificate(subject: name([(0x0A, 0x0C, "Edge Inc")]))) == nil)
    }

    @Test func malformedInputGivesNil() {
        let der = certificate(subject: name([(0x03, 0x0C, "edge-a")]))
        for length in 0..<der.count { #expect(CertificateSubject.commonName(der: Array(der.prefix(length))) == nil) }
        #expect(CertificateSubject.commonName(der: [0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF]) == nil)
        #expect(CertificateSubject.commonName(der: [0x30, 0x85, 0, 0, 0, 0, 1]) == nil)
    }
}
