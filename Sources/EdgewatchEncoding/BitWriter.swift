/// Appends bits most-significant first into a byte array.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var used: UInt8 = 8  // bits used in the last byte

    mutating func write(bit: Bool) {
        if used == 8 {
            bytes.append(0)
            used = 0
        }
        if bit { bytes[bytes.count - 1] |= 0x80 >> used }
        used += 1
    }

    /// Writes the low `count` bits of `value`, most significant first.
    mutating func write(_ value: UInt64, bits count: Int) {
        var remaining = count
        while remaining > 0 {
            if used == 8 {
                bytes.append(0)
                used = 0
            }
            let free = Int(8 - used)
            let take = min(free, remaining)
            let shift = remaining - take
            let chunk = UInt8(truncatingIfNeeded: (value >> UInt64(shift)) & ((1 << UInt64(take)) - 1))
            bytes[bytes.count - 1] |= chunk << UInt8(free - take)
            used += UInt8(take)
            remaining -= take
        }
    }
}
