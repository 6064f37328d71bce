/// The start of a block coded alone: columns, rows and their timestamps, the series count, and
/// where the first series header starts.
struct AloneHeader {
    let columns: Int
    let rowCount: Int
    let timestamps: [Int64]
    let seriesCount: Int
    let seriesStart: Int

    init(_ bytes: UnsafeRawBufferPointer) throws(DecodingError) {
        guard bytes.count >= 2 else { throw .truncated }
        guard bytes[0] == BlockCodec.version || bytes[0] == BlockCodec.forgettingVersion else { throw .badVersion(bytes[0]) }
        columns = Int(bytes[1])
        guard columns > 0 else { throw .malformed("zero columns") }
        var index = 2
        rowCount = try BlockCodec.count(bytes, at: &index, limit: bytes.count * 8, "row count")
        var timestamps: [Int64] = []
        timestamps.reserveCapacity(rowCount)
        var last: Int64 = 0
        for _ in 0..<rowCount {
            last &+= try Varint.readSigned(bytes, at: &index)
            timestamps.append(last)
        }
        self.timestamps = timestamps
        seriesCount = try BlockCodec.count(bytes, at: &index, limit: bytes.count, "series count")
        guard index < bytes.count else { throw .truncated }
        guard bytes[index] == 0 else { throw .malformed("a block coded alone cannot repeat a previous series list") }
        seriesStart = index + 1
    }
}
