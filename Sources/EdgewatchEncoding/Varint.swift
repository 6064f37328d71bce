/// LEB128 unsigned varints and zigzag signed varints: the one integer codec of the store's
/// blocks, the uplink's batches and the hub's stored series lists.
public enum Varint {
    /// Appends `value` as an unsigned LEB128 varint.
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends `value` zigzag-encoded, so small negative numbers stay short.
    public static func append(signed value: Int64, to bytes: inout [UInt8]) {
        append(zigzag(value), to: &bytes)
    }

    /// Reads one unsigned varint at `index`, advancing it.
    public static func read(_ bytes: [UInt8], at index: inout Int) throws(DecodingError) -> UInt64 {
        try read(from: bytes, at: &index)
    }

    /// The same over borrowed bytes (a block read in place).
    public static func read(_ bytes: UnsafeRawBufferPointer, at index: inout Int) throws(DecodingError) -> UInt64 {
        try read(from: bytes, at: &index)
    }

    @inline(__always)
    static func read<Bytes: RandomAccessCollection<UInt8>>(from bytes: Bytes, at index: inout Int) throws(DecodingError) -> UInt64
    where Bytes.Index == Int {
        // Most varints (ids, lengths, small deltas) are one byte.
        if index >= bytes.startIndex, index < bytes.endIndex, bytes[index] < 0x80 {
            index += 1
            return UInt64(bytes[index - 1])
        }
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index >= bytes.startIndex, index < bytes.endIndex else { throw .truncated }
            guard shift < 64 else { throw .malformed("varint too long") }
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// Reads one zigzag varint at `index`, advancing it.
    public static func readSigned(_ bytes: [UInt8], at index: inout Int) throws(DecodingError) -> Int64 {
        unzigzag(try read(from: bytes, at: &index))
    }

    /// The same over borrowed bytes.
    public static func readSigned(_ bytes: UnsafeRawBufferPointer, at index: inout Int) throws(DecodingError) -> Int64 {
        unzigzag(try read(from: bytes, at: &index))
    }

    /// `values` as consecutive varints (what ``decodeAll(_:)`` reads back).
    public static func encodeAll(_ values: some Sequence<UInt64>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.underestimatedCount * 3)
        for value in values { append(value, to: &bytes) }
        return bytes
    }

    /// Every varint in `bytes`, in order (a truncated last one is dropped).
    public static func decodeAll(_ bytes: [UInt8]) -> [UInt64] {
        var result: [UInt64] = []
        var index = 0
        while index < bytes.count, let value = try? read(bytes, at: &index) { result.append(value) }
        return result
    }

    static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

    static func unzigzag(_ raw: UInt64) -> Int64 { Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))) }
}
