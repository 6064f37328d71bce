extension BlockCodec {
    /// Decodes a block coded alone (by a fresh codec: no previous series list or XOR state),
    /// keeping only the series whose id is a position where `wanted` is true; the others are
    /// skipped by their length without being decoded.
    public static func decode(_ bytes: [UInt8], keeping wanted: [Bool]) throws(DecodingError) -> Block {
        try bytes.withUnsafeBytes { buffer in Result { () throws(DecodingError) -> Block in try decode(buffer, keeping: wanted) } }.get()
    }

    /// The same from borrowed bytes (a blob read in place from the database).
    public static func decode(_ bytes: UnsafeRawBufferPointer, keeping wanted: [Bool]) throws(DecodingError) -> Block {
        let header = try AloneHeader(bytes)
        var index = header.seriesStart
        var series: [BlockSeries] = []
        var id: Int64 = 0
        for _ in 0..<header.seriesCount {
            let entry = try SeriesHeader(bytes, at: &index, rows: header.rowCount)
            id = id &+ Int64(bitPattern: entry.idDelta)
            guard id >= 0, id < wanted.count, wanted[Int(id)] else {
                index += entry.bitmapLength + entry.length
                continue
            }
            series.append(try decodeSeries(id: id, bytes, at: &index, header: header, entry: entry))
        }
        return Block(timestamps: header.timestamps, columns: header.columns, series: series)
    }

    /// One wanted series at `index` (its presence bitmap, if any, then its XOR payload).
    static func decodeSeries(
        id: Int64,
        _ bytes: UnsafeRawBufferPointer,
        at index: inout Int,
        header: AloneHeader,
        entry: SeriesHeader
    ) throws(DecodingError) -> BlockSeries {
        var present: [Bool]?
        var presentCount = header.rowCount
        if entry.bitmapLength > 0 {
            let flags = (0..<header.rowCount).map { [index] in bytes[index + $0 / 8] & (0x80 >> UInt8($0 % 8)) != 0 }
            present = flags
            presentCount = flags.filter { $0 }.count
            index += entry.bitmapLength
        }
        var reader = BitReader(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + entry.length)]))
        index += entry.length
        var values: [[Double]] = []
        values.reserveCapacity(header.columns)
        for _ in 0..<header.columns {
            var state = XORState()
            var columnValues: [Double] = []
            columnValues.reserveCapacity(presentCount)
            for _ in 0..<presentCount { columnValues.append(try state.decode(from: &reader)) }
            values.append(columnValues)
        }
        return BlockSeries(id: id, present: present, values: values)
    }
}
