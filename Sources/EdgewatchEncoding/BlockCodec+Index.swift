extension BlockCodec {
    /// A sparse index of a block coded alone whose series are numbered by position (0, 1, …):
    /// `[stride, width, offset…]`, the byte offset of every `stride`-th series header as a
    /// little-endian integer of `width` bytes (2, or 4 for a block of 64 KiB or more). A reader
    /// after a few of the block's series jumps near each instead of walking every header. Nil
    /// when the block cannot be read.
    public static func seriesIndex(_ bytes: [UInt8], stride: Int = 16) -> [UInt8]? {
        bytes.withUnsafeBytes { bytes -> [UInt8]? in
            guard stride > 0, stride < 256, let header = try? AloneHeader(bytes) else { return nil }
            let width = bytes.count < 65_536 ? 2 : 4
            var index: [UInt8] = [UInt8(stride), UInt8(width)]
            var offset = header.seriesStart
            for position in 0..<header.seriesCount {
                if position % stride == 0 {
                    for byte in 0..<width { index.append(UInt8(truncatingIfNeeded: offset >> (8 * byte))) }
                }
                guard let entry = try? SeriesHeader(bytes, at: &offset, rows: header.rowCount) else { return nil }
                offset += entry.bitmapLength + entry.length
            }
            return index
        }
    }

    /// Decodes the series at `positions` (ascending) of a block numbered by position, reaching
    /// each through the block's ``seriesIndex(_:stride:)``: at most a stride of headers is walked
    /// per series. Throws when the index or the block does not hold together (read it whole then).
    public static func decode(
        _ bytes: UnsafeRawBufferPointer,
        positions: [Int],
        index: UnsafeRawBufferPointer
    ) throws(DecodingError) -> Block {
        let header = try AloneHeader(bytes)
        guard index.count >= 2, index[0] > 0, index[1] == 2 || index[1] == 4 else { throw .malformed("series index header") }
        let stride = Int(index[0])
        let width = Int(index[1])
        let checkpoints = (index.count - 2) / width
        var series: [BlockSeries] = []
        series.reserveCapacity(positions.count)
        var position = Int.max  // of the header at `offset`
        var offset = 0
        for wanted in positions {
            guard wanted >= 0, wanted < header.seriesCount else { throw .malformed("series \(wanted) of \(header.seriesCount)") }
            if position > wanted || wanted - position >= stride {
                let checkpoint = wanted / stride
                guard checkpoint < checkpoints else { throw .malformed("series index holds \(checkpoints) offsets") }
                offset = 0
                for byte in 0..<width { offset |= Int(index[2 + checkpoint * width + byte]) << (8 * byte) }
                guard offset >= header.seriesStart, offset < bytes.count else { throw .malformed("series index offset \(offset)") }
                position = checkpoint * stride
            }
            while true {
                let entry = try SeriesHeader(bytes, at: &offset, rows: header.rowCount)
                guard entry.idDelta == (position == 0 ? 0 : 1) else { throw .malformed("series \(position) is not numbered by position") }
                if position == wanted {
                    series.append(try decodeSeries(id: Int64(position), bytes, at: &offset, header: header, entry: entry))
                    position += 1
                    break
                }
                offset += entry.bitmapLength + entry.length
                position += 1
            }
        }
        return Block(timestamps: header.timestamps, columns: header.columns, series: series)
    }
}
