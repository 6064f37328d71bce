import EdgewatchCore

/// Tokens and secret hashes: random tokens from the system CSPRNG (getrandom through
/// `SystemRandomNumberGenerator`), SHA-256 from ``SHA256`` (no crypto library mapped), comparisons in
/// constant time.
public enum Secrets {
    /// `bytes` random bytes from the system CSPRNG, as lowercase hex.
    public static func randomToken(bytes: Int = 32) -> String {
        var random = SystemRandomNumberGenerator()
        return hex((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &random) })
    }

    /// SHA-256 of the UTF-8 text, as lowercase hex.
    public static func sha256(_ text: String) -> String { SHA256.hex(of: Array(text.utf8)) }

    /// Compares two secrets in time that does not depend on where they differ. Both are hashed
    /// first, so the lengths compared are equal and nothing about the length leaks.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(sha256(a).utf8)
        let y = Array(sha256(b).utf8)
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }

    static func hex(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }
}
