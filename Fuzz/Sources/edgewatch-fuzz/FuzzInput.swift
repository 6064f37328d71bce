/// Structured values taken from the front of a fuzz input (like LLVM's FuzzedDataProvider): a
/// short input yields zeros, never a failure, so every input is a valid test.
struct FuzzInput {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isEmpty: Bool { index >= bytes.count }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func uint64() -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<8 { value = value << 8 | UInt64(byte()) }
        return value
    }

    mutating func int64() -> Int64 { Int64(bitPattern: uint64()) }

    /// Any bit pattern: NaN payloads, infinities, subnormals and negative zero included.
    mutating func double() -> Double { Double(bitPattern: uint64()) }

    /// A count in `0...limit`.
    mutating func count(_ limit: Int) -> Int { Int(byte()) % (limit + 1) }

    /// Up to `limit` bytes as text (invalid UTF-8 repaired, as the parsers see file content).
    mutating func text(_ limit: Int) -> String {
        let length = min(count(min(limit, 255)), bytes.count - min(index, bytes.count))
        defer { index += length }
        return String(decoding: bytes[index..<index + length], as: UTF8.self)
    }

    /// Everything not taken yet.
    mutating func rest() -> [UInt8] {
        defer { index = bytes.count }
        return index < bytes.count ? Array(bytes[index...]) : []
    }

    mutating func restText() -> String { String(decoding: rest(), as: UTF8.self) }

    /// For the targets whose first byte picks one of `parsers` parsers: that choice, and the rest
    /// as the file's text.
    static func parserAndFile(_ bytes: [UInt8], parsers: UInt8) -> (UInt8, String) {
        var input = FuzzInput(bytes)
        let parser = input.byte() % parsers
        return (parser, input.restText())
    }
}
