/// Gorilla XOR float compression state of one value stream, carried across the blocks of a segment.
struct XORState: Sendable {
    var previous: UInt64 = 0
    var leading: UInt8 = 0xFF  // 0xFF: no window yet
    var trailing: UInt8 = 0
    var started = false

    /// Appends `value`: the first one raw, later ones as XOR against the previous.
    mutating func encode(_ value: Double, into writer: inout BitWriter) {
        let bits = value.bitPattern
        guard started else {
            writer.write(bits, bits: 64)
            previous = bits
            started = true
            return
        }
        let xor = bits ^ previous
        previous = bits
        if xor == 0 {
            writer.write(bit: false)
            return
        }
        writer.write(bit: true)
        let lead = UInt8(min(xor.leadingZeroBitCount, 31))
        let trail = UInt8(xor.trailingZeroBitCount)
        if leading != 0xFF, lead >= leading, trail >= trailing {
            writer.write(bit: false)
            writer.write(xor >> UInt64(trailing), bits: 64 - Int(leading) - Int(trailing))
        } else {
            leading = lead
            trailing = trail
            let significant = 64 - Int(lead) - Int(trail)
            writer.write(bit: true)
            writer.write(UInt64(lead), bits: 5)
            writer.write(UInt64(significant & 63), bits: 6)  // 64 is written as 0
            writer.write(xor >> UInt64(trail), bits: significant)
        }
    }

    mutating func decode(from reader: inout BitReader) throws(DecodingError) -> Double {
        guard started else {
            previous = try reader.read(bits: 64)
            started = true
            return Double(bitPattern: previous)
        }
        if try !reader.readBit() { return Double(bitPattern: previous) }
        if try reader.readBit() {
            leading = UInt8(try reader.read(bits: 5))
            var significant = Int(try reader.read(bits: 6))
            if significant == 0 { significant = 64 }
            guard Int(leading) + significant <= 64 else { throw .malformed("bad XOR window") }
            trailing = UInt8(64 - Int(leading) - significant)
        } else if leading == 0xFF {
            throw .malformed("XOR window reused before one was set")
        }
        let significant = 64 - Int(leading) - Int(trailing)
        let xor = try reader.read(bits: significant) << UInt64(trailing)
        previous ^= xor
        return Double(bitPattern: previous)
    }
}
