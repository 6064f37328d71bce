/// Unsigned LEB128 varints, for the batch format and the hub's stored series lists.
public enum Varint {
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Every varint in `bytes`, in order (a truncated last one is dropped).
    public static func decodeAll(_ bytes: [UInt8]) -> [UInt64] {
        var result: [UInt64] = []
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for byte in bytes {
            guard shift < 64 else { return result }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                result.append(value)
                value = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        return result
    }
}

/// Little building blocks of the batch format: unsigned LEB128 varints, zigzag integers and
/// length-prefixed strings, read with bounds checks.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func varint(_ value: UInt64) { Varint.append(value, to: &bytes) }

    mutating func signed(_ value: Int64) { varint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func string(_ text: String) {
        let utf8 = Array(text.utf8)
        varint(UInt64(utf8.count))
        bytes += utf8
    }

    mutating func byte(_ value: UInt8) { bytes.append(value) }
}

struct ByteReader {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    mutating func varint() throws(UplinkBatch.DecodingError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count else { throw .truncated }
            let byte = bytes[index]
            index += 1
            guard shift < 64 else { throw .malformed("varint too long") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func count(limit: Int, _ what: String) throws(UplinkBatch.DecodingError) -> Int {
        let value = try varint()
        guard value <= UInt64(limit) else { throw .limit("\(what) \(value) exceeds the limit of \(limit)") }
        return Int(value)
    }

    mutating func signed() throws(UplinkBatch.DecodingError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    mutating func string(limit: Int, _ what: String) throws(UplinkBatch.DecodingError) -> String {
        let length = try count(limit: limit, what + " length")
        guard index + length <= bytes.count else { throw .truncated }
        defer { index += length }
        return String(decoding: bytes[index..<(index + length)], as: UTF8.self)
    }

    mutating func byte() throws(UplinkBatch.DecodingError) -> UInt8 {
        guard index < bytes.count else { throw .truncated }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func raw(_ length: Int) throws(UplinkBatch.DecodingError) -> [UInt8] {
        guard length >= 0, index + length <= bytes.count else { throw .truncated }
        defer { index += length }
        return Array(bytes[index..<(index + length)])
    }
}
