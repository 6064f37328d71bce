/// Encodes and decodes the blocks of one segment. Blocks of a segment form one chain: timestamps
/// are deltas from the previous block's last, and each series' values continue the Gorilla XOR
/// stream of its previous block, so a steady gauge costs one bit per sample. The codec carries
/// that state, so blocks must be encoded and decoded in order from the segment's start.
///
/// Layout: version, columns, row count, zigzag timestamp deltas, series count, a flag saying whether
/// the series ids repeat the previous block's (then they are not written), then per series: its id
/// delta (unless repeated), payload length × 2 + 1 when a presence bitmap follows, the bitmap, and
/// the XOR payload.
public struct BlockCodec: Sendable {
    static let version: UInt8 = 1
    private var states: [Int64: [XORState]] = [:]
    private var lastTimestamp: Int64 = 0
    private var lastSeriesIDs: [Int64] = []

    public init() {}

    public mutating func encode(_ block: Block) -> [UInt8] {
        var bytes: [UInt8] = [Self.version, UInt8(block.columns)]
        Varint.append(UInt64(block.timestamps.count), to: &bytes)
        for timestamp in block.timestamps {
            Varint.append(signed: timestamp &- lastTimestamp, to: &bytes)
            lastTimestamp = timestamp
        }
        Varint.append(UInt64(block.series.count), to: &bytes)
        let ids = block.series.map(\.id)
        let repeated = ids == lastSeriesIDs
        bytes.append(repeated ? 1 : 0)
        lastSeriesIDs = ids
        var previousID: Int64 = 0
        for series in block.series {
            if !repeated {
                Varint.append(UInt64(series.id - previousID), to: &bytes)
                previousID = series.id
            }
            var writer = BitWriter()
            var seriesStates = states[series.id] ?? [XORState](repeating: XORState(), count: block.columns)
            for column in 0..<block.columns {
                for value in series.values[column] { seriesStates[column].encode(value, into: &writer) }
            }
            states[series.id] = seriesStates
            Varint.append(UInt64(writer.bytes.count) << 1 | (series.present == nil ? 0 : 1), to: &bytes)
            if let present = series.present {
                var bitmap = [UInt8](repeating: 0, count: (present.count + 7) / 8)
                for (row, isPresent) in present.enumerated() where isPresent { bitmap[row / 8] |= 0x80 >> UInt8(row % 8) }
                bytes += bitmap
            }
            bytes += writer.bytes
        }
        return bytes
    }

    public mutating func decode(_ bytes: [UInt8]) throws(DecodingError) -> Block {
        guard bytes.count >= 2 else { throw .truncated }
        guard bytes[0] == Self.version else { throw .badVersion(bytes[0]) }
        let columns = Int(bytes[1])
        guard columns > 0 else { throw .malformed("zero columns") }
        var index = 2
        let rowCount = Int(try Varint.read(bytes, at: &index))
        guard rowCount <= bytes.count * 8 else { throw .malformed("row count \(rowCount)") }
        var timestamps: [Int64] = []
        timestamps.reserveCapacity(rowCount)
        for _ in 0..<rowCount {
            lastTimestamp &+= try Varint.readSigned(bytes, at: &index)
            timestamps.append(lastTimestamp)
        }
        let seriesCount = Int(try Varint.read(bytes, at: &index))
        guard seriesCount <= bytes.count else { throw .malformed("series count \(seriesCount)") }
        guard index < bytes.count else { throw .truncated }
        let repeated = bytes[index] == 1
        index += 1
        guard !repeated || lastSeriesIDs.count == seriesCount else { throw .malformed("repeated series list of another length") }
        var series: [BlockSeries] = []
        series.reserveCapacity(seriesCount)
        var previousID: Int64 = 0
        for position in 0..<seriesCount {
            let id: Int64
            if repeated {
                id = lastSeriesIDs[position]
            } else {
                id = previousID + Int64(bitPattern: try Varint.read(bytes, at: &index))
                previousID = id
            }
            let lengthAndFlag = try Varint.read(bytes, at: &index)
            guard lengthAndFlag >> 1 < UInt64(bytes.count) else { throw .truncated }
            let length = Int(lengthAndFlag >> 1)
            var present: [Bool]?
            var presentCount = rowCount
            if lengthAndFlag & 1 == 1 {
                let bitmapLength = (rowCount + 7) / 8
                guard index + bitmapLength <= bytes.count else { throw .truncated }
                let flags = (0..<rowCount).map { bytes[index + $0 / 8] & (0x80 >> UInt8($0 % 8)) != 0 }
                present = flags
                presentCount = flags.filter { $0 }.count
                index += bitmapLength
            }
            guard index + length <= bytes.count else { throw .truncated }
            var reader = BitReader(bytes[index..<(index + length)])
            index += length
            var seriesStates = states[id] ?? [XORState](repeating: XORState(), count: columns)
            guard seriesStates.count == columns else { throw .malformed("column count changed for series \(id)") }
            var values: [[Double]] = []
            for column in 0..<columns {
                var columnValues: [Double] = []
                columnValues.reserveCapacity(presentCount)
                for _ in 0..<presentCount { columnValues.append(try seriesStates[column].decode(from: &reader)) }
                values.append(columnValues)
            }
            states[id] = seriesStates
            series.append(BlockSeries(id: id, present: present, values: values))
        }
        if !repeated { lastSeriesIDs = series.map(\.id) }
        return Block(timestamps: timestamps, columns: columns, series: series)
    }
}
