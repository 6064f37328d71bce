/// Reads bits most-significant first from bytes it borrows (valid for the reader's life: callers
/// make one inside `withUnsafeBytes` or over SQLite's column buffer); reading past the end throws.
struct BitReader {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0  // in bits from the start

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    mutating func readBit() throws(DecodingError) -> Bool {
        guard position < bytes.count * 8 else { throw .truncated }
        let bit = bytes[position / 8] & (0x80 >> UInt8(position % 8)) != 0
        position += 1
        return bit
    }

    mutating func read(bits count: Int) throws(DecodingError) -> UInt64 {
        guard position + count <= bytes.count * 8 else { throw .truncated }
        let byteIndex = position / 8
        let offset = position % 8
        // Most reads: one unaligned big-endian load of the 8 bytes holding them.
        if count > 0, offset + count <= 64, byteIndex + 8 <= bytes.count {
            let word = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self))
            position += count
            return (word << UInt64(offset)) >> UInt64(64 - count)
        }
        var value: UInt64 = 0
        var remaining = count
        while remaining > 0 {
            let byte = bytes[position / 8]
            let offset = position % 8
            let take = min(8 - offset, remaining)
            let chunk = (UInt64(byte) >> UInt64(8 - offset - take)) & ((1 << UInt64(take)) - 1)
            value = (value << UInt64(take)) | chunk
            position += take
            remaining -= take
        }
        return value
    }
}
