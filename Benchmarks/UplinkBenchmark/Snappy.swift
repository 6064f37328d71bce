/// Snappy block compression (the format Prometheus remote_write bodies use): a varint length,
/// then literals and copies found with a 4-byte hash table, as the reference encoder does.
enum Snappy {
    static func compress(_ input: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count / 2 + 16)
        var length = UInt64(input.count)
        while length >= 0x80 {
            output.append(UInt8(length & 0x7F) | 0x80)
            length >>= 7
        }
        output.append(UInt8(length))
        var start = 0
        // The format limits copies to 64 KiB offsets; encode 64 KiB blocks independently.
        while start < input.count {
            let end = min(input.count, start + 65_536)
            compressBlock(input, start, end, &output)
            start = end
        }
        return output
    }

    private static func load32(_ bytes: [UInt8], _ index: Int) -> UInt32 {
        UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24
    }

    private static func literal(_ input: [UInt8], _ from: Int, _ to: Int, _ output: inout [UInt8]) {
        let count = to - from
        guard count > 0 else { return }
        let n = count - 1
        if n < 60 {
            output.append(UInt8(n << 2))
        } else if n < 1 << 8 {
            output += [60 << 2, UInt8(n)]
        } else {
            output += [61 << 2, UInt8(n & 0xFF), UInt8(n >> 8)]
        }
        output += input[from..<to]
    }

    private static func copy(offset: Int, length: Int, _ output: inout [UInt8]) {
        var remaining = length
        while remaining >= 68 {
            output += [UInt8(63 << 2 | 2), UInt8(offset & 0xFF), UInt8(offset >> 8)]
            remaining -= 64
        }
        if remaining > 64 {
            output += [UInt8(59 << 2 | 2), UInt8(offset & 0xFF), UInt8(offset >> 8)]
            remaining -= 60
        }
        if remaining >= 12 || offset >= 2048 {
            output += [UInt8((remaining - 1) << 2 | 2), UInt8(offset & 0xFF), UInt8(offset >> 8)]
        } else {
            output += [UInt8((offset >> 8) << 5 | (remaining - 4) << 2 | 1), UInt8(offset & 0xFF)]
        }
    }

    private static func compressBlock(_ input: [UInt8], _ start: Int, _ end: Int, _ output: inout [UInt8]) {
        guard end - start >= 17 else {
            literal(input, start, end, &output)
            return
        }
        var table = [Int](repeating: -1, count: 1 << 14)
        func hash(_ value: UInt32) -> Int { Int((value &* 0x1E35_A7BD) >> 18) }
        var literalStart = start
        var index = start
        let limit = end - 4
        while index < limit {
            let value = load32(input, index)
            let slot = hash(value)
            let candidate = table[slot]
            table[slot] = index
            if candidate >= start, index - candidate < 65_536, load32(input, candidate) == value {
                literal(input, literalStart, index, &output)
                var length = 4
                while index + length < end, input[candidate + length] == input[index + length] { length += 1 }
                copy(offset: index - candidate, length: length, &output)
                index += length
                literalStart = index
            } else {
                index += 1
            }
        }
        literal(input, literalStart, end, &output)
    }
}
