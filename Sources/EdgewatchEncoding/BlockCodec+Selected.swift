extension BlockCodec {
    /// Decodes a block coded alone (by a fresh codec: no previous series list or XOR state),
    /// keeping only the series whose id is a position where `wanted` is true; the others are
    /// skipped by their length without being decoded.
    public static func decode(_ bytes: [UInt8], keeping wanted: [Bool]) throws(DecodingError) -> Block {
        try bytes.withUnsafeBytes { buffer in Result { () throws(DecodingError) -> Block in try decode(buffer, keeping: wanted) } }.get()
    }

    /// The same from borrowed bytes (a blob read in place from the database).
    public static func decode(_ bytes: UnsafeRawBufferPointer, keeping wanted: [Bool]) throws(DecodingError) -> Block {
        guard bytes.count >= 2 else { throw .truncated }
        guard bytes[0] == version || bytes[0] == forgettingVersion else { throw .badVersion(bytes[0]) }
        let columns = Int(bytes[1])
        guard columns > 0 else { throw .malformed("zero columns") }
        var index = 2
        let rowCount = try count(bytes, at: &index, limit: bytes.count * 8, "row count")
        var timestamps: [Int64] = []
        timestamps.reserveCapacity(rowCount)
        var last: Int64 = 0
        for _ in 0..<rowCount {
            last &+= try Varint.readSigned(bytes, at: &index)
            timestamps.append(last)
        }
        let seriesCount = try count(bytes, at: &index, limit: bytes.count, "series count")
        guard index < bytes.count else { throw .truncated }
        guard bytes[index] == 0 else { throw .malformed("a block coded alone cannot repeat a previous series list") }
        index += 1
        var series: [BlockSeries] = []
        var id: Int64 = 0
        for _ in 0..<seriesCount {
            id = id &+ Int64(bitPattern: try Varint.read(bytes, at: &index))
            let lengthAndFlag = try Varint.read(bytes, at: &index)
            guard lengthAndFlag >> 1 < UInt64(bytes.count) else { throw .truncated }
            let length = Int(lengthAndFlag >> 1)
            let bitmapLength = lengthAndFlag & 1 == 1 ? (rowCount + 7) / 8 : 0
            guard index + bitmapLength + length <= bytes.count else { throw .truncated }
            guard id >= 0, id < wanted.count, wanted[Int(id)] else {
                index += bitmapLength + length
                continue
            }
            series.append(try decodeSeries(id: id, bytes, at: &index, rows: rowCount, bitmapLength: bitmapLength, length: length, columns: columns))
        }
        return Block(timestamps: timestamps, columns: columns, series: series)
    }

    /// One wanted series at `index` (its presence bitmap, if any, then its XOR payload).
    private static func decodeSeries(
        id: Int64,
        _ bytes: UnsafeRawBufferPointer,
        at index: inout Int,
        rows: Int,
        bitmapLength: Int,
        length: Int,
        columns: Int
    ) throws(DecodingError) -> BlockSeries {
        var present: [Bool]?
        var presentCount = rows
        if bitmapLength > 0 {
            let flags = (0..<rows).map { [index] in bytes[index + $0 / 8] & (0x80 >> UInt8($0 % 8)) != 0 }
            present = flags
            presentCount = flags.filter { $0 }.count
            index += bitmapLength
        }
        var reader = BitReader(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)]))
        index += length
        var values: [[Double]] = []
        values.reserveCapacity(columns)
        for _ in 0..<columns {
            var state = XORState()
            var columnValues: [Double] = []
            columnValues.reserveCapacity(presentCount)
            for _ in 0..<presentCount { columnValues.append(try state.decode(from: &reader)) }
            values.append(columnValues)
        }
        return BlockSeries(id: id, present: present, values: values)
    }
}
