import CCrypto

/// Tokens and secret hashes: random tokens from the system CSPRNG (getrandom through
/// `SystemRandomNumberGenerator`), SHA-256 from the system's libcrypto (opened on first use, so the
/// agent never maps it), comparisons in constant time.
public enum Secrets {
    /// SHA-256 is unavailable: no libcrypto on this machine.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var description: String { "SHA-256 needs the system's libcrypto (libcrypto.so.3, Debian package libssl3)" }
    }

    /// `bytes` random bytes from the system CSPRNG, as lowercase hex.
    public static func randomToken(bytes: Int = 32) -> String {
        var random = SystemRandomNumberGenerator()
        return hex((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &random) })
    }

    /// SHA-256 of the UTF-8 text, as lowercase hex.
    public static func sha256(_ text: String) throws(Unavailable) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        let bytes = Array(text.utf8)
        let status = bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in cew_sha256(input.baseAddress, input.count, output.baseAddress) }
        }
        guard status == 0 else { throw Unavailable() }
        return hex(digest)
    }

    /// Compares two secrets in time that does not depend on where they differ. Both are hashed
    /// first, so the lengths compared are equal and nothing about the length leaks.
    public static func constantTimeEqual(_ a: String, _ b: String) throws(Unavailable) -> Bool {
        let x = Array(try sha256(a).utf8)
        let y = Array(try sha256(b).utf8)
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
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
