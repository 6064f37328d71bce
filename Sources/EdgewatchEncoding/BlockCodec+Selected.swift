extension BlockCodec {
    /// Decodes a block coded alone (by a fresh codec, as the hub stores each batch's block) keeping
    /// only the series `wanted` accepts: the others' payloads are skipped by their lengths, not
    /// decoded, so reading one series from a block of hundreds costs little more than its own bytes.
    public static func decode(_ bytes: [UInt8], keeping wanted: (Int64) -> Bool) throws(DecodingError) -> Block {
        guard bytes.count >= 2 else { throw .truncated }
        guard bytes[0] == version || bytes[0] == forgettingVersion else { throw .badVersion(bytes[0]) }
        let columns = Int(bytes[1])
        guard columns > 0 else { throw .malformed("zero columns") }
        var index = 2
        let rowCount = try readCount(bytes, at: &index, limit: bytes.count * 8, "row count")
        var timestamps: [Int64] = []
        timestamps.reserveCapacity(rowCount)
        var last: Int64 = 0
        for _ in 0..<rowCount {
            last &+= try Varint.readSigned(bytes, at: &index)
            timestamps.append(last)
        }
        let seriesCount = try readCount(bytes, at: &index, limit: bytes.count, "series count")
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
            guard wanted(id) else {
                index += bitmapLength + length
                continue
            }
            var present: [Bool]?
            var presentCount = rowCount
            if bitmapLength > 0 {
                let flags = (0..<rowCount).map { bytes[index + $0 / 8] & (0x80 >> UInt8($0 % 8)) != 0 }
                present = flags
                presentCount = flags.filter { $0 }.count
                index += bitmapLength
            }
            var reader = BitReader(bytes[index..<(index + length)])
            index += length
            var states = [XORState](repeating: XORState(), count: columns)
            var values: [[Double]] = []
            for column in 0..<columns {
                var columnValues: [Double] = []
                columnValues.reserveCapacity(presentCount)
                for _ in 0..<presentCount { columnValues.append(try states[column].decode(from: &reader)) }
                values.append(columnValues)
            }
            series.append(BlockSeries(id: id, present: present, values: values))
        }
        return Block(timestamps: timestamps, columns: columns, series: series)
    }

    private static func readCount(_ bytes: [UInt8], at index: inout Int, limit: Int, _ what: String) throws(DecodingError) -> Int {
        let value = try Varint.read(bytes, at: &index)
        guard value <= UInt64(limit) else { throw .malformed("\(what) \(value)") }
        return Int(value)
    }
}
