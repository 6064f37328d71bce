import CCrypto

/// Tokens and secret hashes through libcrypto: random tokens, SHA-256 and constant-time comparison.
public enum Secrets {
    /// `bytes` random bytes from the system CSPRNG, as lowercase hex.
    public static func randomToken(bytes: Int = 32) -> String {
        var buffer = [UInt8](repeating: 0, count: bytes)
        let ok = buffer.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        precondition(ok == 1, "the system random generator failed")
        return hex(buffer)
    }

    /// SHA-256 of the UTF-8 text, as lowercase hex.
    public static func sha256(_ text: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in SHA256(input.baseAddress, input.count, output.baseAddress) }
        }
        return hex(digest)
    }

    /// Compares two secrets in time that does not depend on where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        // Hash first so the lengths compared are equal and nothing about the length leaks.
        var x = Array(sha256(a).utf8), y = Array(sha256(b).utf8)
        return x.withUnsafeMutableBytes { p in y.withUnsafeMutableBytes { q in CRYPTO_memcmp(p.baseAddress, q.baseAddress, p.count) } } == 0
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
