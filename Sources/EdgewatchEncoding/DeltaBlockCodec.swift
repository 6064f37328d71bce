/// A block as the uplink sends it (batch format 4): byte-aligned and laid out as separate
/// streams (ids, presence, modes, first values by byte plane, then deltas), so the zlib around
/// the batch finds the repetition across series that a bit-packed stream hides.
///
/// Timestamps are delta-of-delta varints. Each value column of a series is either *integral
/// deltas* — the first value (a varint when it is an integer, else its 8 bytes) then each value's
/// difference from the previous as a varint, used only where adding the difference back gives
/// exactly the same bits (counters, byte counts, unchanged gauges) — or, for anything else, each
/// value's bits XOR the previous value's as a varint. Decoding always restores the exact bits
/// (NaN payloads and staleness markers included).
public enum DeltaBlockCodec {
    enum Mode: UInt8 {
        case integerStart = 0
        case rawStart = 1
        case xor = 2
    }

    /// One value column of one series as encoded: its mode, first value and the rest.
    struct Column {
        var mode: Mode
        var first: Double
        var rest: [UInt64]
    }

    public static func encode(_ block: Block) -> [UInt8] {
        var writer = ByteWriter([])
        writeTimestamps(block.timestamps, into: &writer)
        writer.varint(UInt64(block.columns))
        writer.varint(UInt64(block.series.count))
        var previousID: Int64 = 0
        for series in block.series {
            writer.signed(series.id &- previousID)
            previousID = series.id
        }
        for series in block.series { writer.byte(series.present == nil ? 0 : 1) }
        for series in block.series {
            guard let present = series.present else { continue }
            var bits = [UInt8](repeating: 0, count: (block.timestamps.count + 7) / 8)
            for (row, flag) in present.enumerated() where flag && row < block.timestamps.count { bits[row / 8] |= 1 << UInt8(row % 8) }
            writer.bytes += bits
        }
        let columns = block.series.flatMap { $0.values.map(column) }
        for column in columns { writer.byte(column.mode.rawValue) }
        for column in columns where column.mode == .integerStart { writer.signed(Int64(column.first)) }
        let raw = columns.filter { $0.mode == .rawStart }.map(\.first.bitPattern)
        for shift in stride(from: 56, through: 0, by: -8) {
            for pattern in raw { writer.byte(UInt8(truncatingIfNeeded: pattern >> UInt64(shift))) }
        }
        for column in columns {
            for value in column.rest { writer.varint(value) }
        }
        return writer.bytes
    }

    static func writeTimestamps(_ timestamps: [Int64], into writer: inout ByteWriter) {
        writer.varint(UInt64(timestamps.count))
        var previous: Int64 = 0
        var previousDelta: Int64 = 0
        for (index, timestamp) in timestamps.enumerated() {
            if index == 0 {
                writer.signed(timestamp)
            } else {
                let delta = timestamp &- previous
                writer.signed(delta &- previousDelta)
                previousDelta = delta
            }
            previous = timestamp
        }
    }

    /// A column as integral deltas where they restore the exact bits, else as XORs.
    static func column(_ values: [Double]) -> Column {
        guard let first = values.first else { return Column(mode: .integerStart, first: 0, rest: []) }
        guard let deltas = integralDeltas(values) else {
            var previous: UInt64 = 0
            return Column(
                mode: .xor,
                first: 0,
                rest: values.map { value in
                    defer { previous = value.bitPattern }
                    return value.bitPattern ^ previous
                }
            )
        }
        let zigzag = deltas.map { UInt64(bitPattern: ($0 << 1) ^ ($0 >> 63)) }
        if let integer = Int64(exactly: first), Double(integer).bitPattern == first.bitPattern {
            return Column(mode: .integerStart, first: first, rest: zigzag)
        }
        return Column(mode: .rawStart, first: first, rest: zigzag)
    }

    /// Each value's difference from the previous, when every one is an integer that restores the exact bits.
    static func integralDeltas(_ values: [Double]) -> [Int64]? {
        var deltas: [Int64] = []
        deltas.reserveCapacity(max(values.count - 1, 0))
        for index in values.indices.dropFirst() {
            let previous = values[index - 1]
            guard let delta = Int64(exactly: values[index] - previous), (previous + Double(delta)).bitPattern == values[index].bitPattern else {
                return nil
            }
            deltas.append(delta)
        }
        return deltas
    }
}
