/// Encodes and decodes the blocks of one segment. Blocks of a segment form one chain: timestamps
/// are deltas from the previous block's last, and each series' values continue the Gorilla XOR
/// stream of its previous block, so a steady gauge costs one bit per sample. The codec carries
/// that state, so blocks must be encoded and decoded in order from the segment's start.
///
/// Layout: version, columns, row count, zigzag timestamp deltas, series count, a flag saying whether
/// the series ids repeat the previous block's (then they are not written), then per series: its id
/// delta (unless repeated), payload length × 2 + 1 when a presence bitmap follows, the bitmap, and
/// the XOR payload.
///
/// Version 2 (what the store writes) differs in one rule: after each block the codec forgets the
/// series absent from it, so a chain holds state for the series of its last block, not for every
/// series it ever carried (containers come and go); a series that comes back starts afresh, its
/// first value written whole. Either version decodes; the version byte of each block says which.
public struct BlockCodec: Sendable {
    static let version: UInt8 = 1
    static let forgettingVersion: UInt8 = 2
    private let forgetsAbsentSeries: Bool
    private var states: [Int64: [XORState]] = [:]
    private var lastTimestamp: Int64 = 0
    private var lastSeriesIDs: [Int64] = []

    /// A codec at the start of a chain; `forgetsAbsentSeries` makes the encoder write version 2.
    public init(forgetsAbsentSeries: Bool = false) {
        self.forgetsAbsentSeries = forgetsAbsentSeries
    }

    /// Series whose compression state the codec holds.
    public var seriesCount: Int { states.count }

    /// Keeps only the state of `ids` (the series of the block just coded).
    private mutating func forget(allBut ids: [Int64]) {
        guard states.count > ids.count else { return }  // every id of the block has state: none absent
        var kept: [Int64: [XORState]] = Dictionary(minimumCapacity: ids.count)
        for id in ids { kept[id] = states[id] }
        states = kept
    }

    public mutating func encode(_ block: Block) -> [UInt8] {
        var bytes: [UInt8] = [forgetsAbsentSeries ? Self.forgettingVersion : Self.version, UInt8(block.columns)]
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
        if forgetsAbsentSeries { forget(allBut: ids) }
        return bytes
    }

    public mutating func decode(_ bytes: [UInt8]) throws(DecodingError) -> Block {
        try bytes.withUnsafeBytes { buffer in Result { () throws(DecodingError) -> Block in try decode(buffer) } }.get()
    }

    /// Decodes the next block of the chain from borrowed bytes.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodingError) -> Block {
        guard bytes.count >= 2 else { throw .truncated }
        guard bytes[0] == Self.version || bytes[0] == Self.forgettingVersion else { throw .badVersion(bytes[0]) }
        let columns = Int(bytes[1])
        guard columns > 0 else { throw .malformed("zero columns") }
        var index = 2
        let rowCount = try Self.count(bytes, at: &index, limit: bytes.count * 8, "row count")
        var timestamps: [Int64] = []
        timestamps.reserveCapacity(rowCount)
        for _ in 0..<rowCount {
            lastTimestamp &+= try Varint.readSigned(bytes, at: &index)
            timestamps.append(lastTimestamp)
        }
        let seriesCount = try Self.count(bytes, at: &index, limit: bytes.count, "series count")
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
                id = previousID &+ Int64(bitPattern: try Varint.read(bytes, at: &index))
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
            var reader = BitReader(UnsafeRawBufferPointer(rebasing: bytes[index..<(index + length)]))
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
        if bytes[0] == Self.forgettingVersion { forget(allBut: lastSeriesIDs) }
        return Block(timestamps: timestamps, columns: columns, series: series)
    }

    /// A varint count no larger than `limit` (a hostile or damaged block names a larger one).
    static func count(_ bytes: UnsafeRawBufferPointer, at index: inout Int, limit: Int, _ what: String) throws(DecodingError) -> Int {
        let value = try Varint.read(bytes, at: &index)
        guard value <= UInt64(limit) else { throw .malformed("\(what) \(value)") }
        return Int(value)
    }
}
