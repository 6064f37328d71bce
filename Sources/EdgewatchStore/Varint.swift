/// LEB128 unsigned varints and zigzag signed varints.
enum Varint {
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    static func append(signed value: Int64, to bytes: inout [UInt8]) {
        append(UInt64(bitPattern: (value << 1) ^ (value >> 63)), to: &bytes)
    }

    static func read(_ bytes: [UInt8], at index: inout Int) throws(BlockDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.count, shift < 64 else { throw .truncated }
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    static func readSigned(_ bytes: [UInt8], at index: inout Int) throws(BlockDecodingError) -> Int64 {
        let raw = try read(bytes, at: &index)
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }
}
