/// Reads what ``ByteWriter`` writes, with bounds checks and caller-given limits on counts and
/// string lengths, so hostile input fails with a named reason instead of a large allocation.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    public private(set) var index = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var atEnd: Bool { index >= bytes.count }

    public mutating func varint() throws(DecodingError) -> UInt64 { try Varint.read(bytes, at: &index) }

    public mutating func signed() throws(DecodingError) -> Int64 { try Varint.readSigned(bytes, at: &index) }

    /// A varint that must not exceed `limit`; `what` names it in the error.
    public mutating func count(limit: Int, _ what: String) throws(DecodingError) -> Int {
        let value = try varint()
        guard value <= UInt64(limit) else { throw .limit("\(what) \(value) exceeds the limit of \(limit)") }
        return Int(value)
    }

    /// A length-prefixed UTF-8 string of at most `limit` bytes.
    public mutating func string(limit: Int, _ what: String) throws(DecodingError) -> String {
        let length = try count(limit: limit, what + " length")
        guard length <= bytes.count - index else { throw .truncated }
        defer { index += length }
        return String(decoding: bytes[index..<(index + length)], as: UTF8.self)
    }

    public mutating func byte() throws(DecodingError) -> UInt8 {
        guard index < bytes.count else { throw .truncated }
        defer { index += 1 }
        return bytes[index]
    }

    /// The next `length` bytes as they are.
    public mutating func raw(_ length: Int) throws(DecodingError) -> [UInt8] {
        guard length >= 0, length <= bytes.count - index else { throw .truncated }
        defer { index += length }
        return Array(bytes[index..<(index + length)])
    }
}
