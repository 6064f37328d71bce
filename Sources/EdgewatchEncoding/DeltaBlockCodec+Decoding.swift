extension DeltaBlockCodec {
    /// Decodes what ``encode(_:)`` wrote; every count is bounded by the input's size.
    public static func decode(_ bytes: [UInt8]) throws(DecodingError) -> Block {
        var reader = ByteReader(bytes)
        let timestamps = try readTimestamps(&reader)
        let rows = timestamps.count
        let columns = try reader.count(limit: 5, "value columns")
        let count = try reader.count(limit: bytes.count, "series count")
        var ids: [Int64] = []
        var id: Int64 = 0
        for _ in 0..<count {
            id = id &+ (try reader.signed())
            ids.append(id)
        }
        let flags = try reader.raw(count)
        var present: [[Bool]?] = []
        for flag in flags {
            switch flag {
            case 0: present.append(nil)
            case 1:
                let bits = try reader.raw((rows + 7) / 8)
                present.append((0..<rows).map { bits[$0 / 8] & (1 << UInt8($0 % 8)) != 0 })
            default: throw .malformed("unknown presence flag \(flag)")
            }
        }
        var modes: [Mode] = []
        for byte in try reader.raw(count * columns) {
            guard let mode = Mode(rawValue: byte) else { throw .malformed("unknown value column mode \(byte)") }
            modes.append(mode)
        }
        let firsts = try readFirstValues(&reader, modes: modes)
        var series: [BlockSeries] = []
        for index in 0..<count {
            let values = present[index].map { $0.filter { $0 }.count } ?? rows
            var columnValues: [[Double]] = []
            for column in 0..<columns {
                let item = index * columns + column
                columnValues.append(try readColumn(&reader, mode: modes[item], first: firsts[item], count: values))
            }
            series.append(BlockSeries(id: ids[index], present: present[index], values: columnValues))
        }
        guard reader.atEnd else { throw .malformed("trailing bytes after the block") }
        return Block(timestamps: timestamps, columns: columns, series: series)
    }

    static func readTimestamps(_ reader: inout ByteReader) throws(DecodingError) -> [Int64] {
        let rows = try reader.count(limit: reader.bytes.count, "timestamp count")
        var timestamps: [Int64] = []
        timestamps.reserveCapacity(rows)
        var delta: Int64 = 0
        for index in 0..<rows {
            if index == 0 {
                timestamps.append(try reader.signed())
            } else {
                delta = delta &+ (try reader.signed())
                timestamps.append(timestamps[index - 1] &+ delta)
            }
        }
        return timestamps
    }

    /// The first value of every column: integers in order, then the others by byte plane.
    static func readFirstValues(_ reader: inout ByteReader, modes: [Mode]) throws(DecodingError) -> [Double] {
        var firsts = [Double](repeating: 0, count: modes.count)
        for (item, mode) in modes.enumerated() where mode == .integerStart { firsts[item] = Double(try reader.signed()) }
        let raw = modes.indices.filter { modes[$0] == .rawStart }
        var patterns = [UInt64](repeating: 0, count: raw.count)
        for shift in stride(from: 56, through: 0, by: -8) {
            for (position, byte) in try reader.raw(raw.count).enumerated() { patterns[position] |= UInt64(byte) << UInt64(shift) }
        }
        for (position, item) in raw.enumerated() { firsts[item] = Double(bitPattern: patterns[position]) }
        return firsts
    }

    static func readColumn(_ reader: inout ByteReader, mode: Mode, first: Double, count: Int) throws(DecodingError) -> [Double] {
        var values: [Double] = []
        guard count > 0 else { return values }
        values.reserveCapacity(min(count, reader.bytes.count))
        if mode == .xor {
            var previous: UInt64 = 0
            for _ in 0..<count {
                previous ^= try reader.varint()
                values.append(Double(bitPattern: previous))
            }
            return values
        }
        values.append(first)
        for _ in 1..<count {
            let zigzag = try reader.varint()
            let delta = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
            values.append((values.last ?? 0) + Double(delta))
        }
        return values
    }
}
