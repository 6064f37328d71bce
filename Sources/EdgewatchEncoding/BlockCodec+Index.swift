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
    /// per series, and only inside the bytes ``indexedRanges(positions:index:count:)`` names, so
    /// `bytes` may hold just those (the rest of the buffer is never read). Throws when the index or
    /// the block does not hold together (read it whole then).
    public static func decode(
        _ bytes: UnsafeRawBufferPointer,
        positions: [Int],
        index: UnsafeRawBufferPointer
    ) throws(DecodingError) -> Block {
        let offsets = try IndexOffsets(index, count: bytes.count)
        let header = try AloneHeader(bytes)
        guard header.seriesStart == offsets.first else { throw .malformed("series index starts at \(offsets.first)") }
        var series: [BlockSeries] = []
        series.reserveCapacity(positions.count)
        var position = Int.max  // of the header at `offset`
        var offset = 0
        for wanted in positions {
            guard wanted >= 0, wanted < header.seriesCount else { throw .malformed("series \(wanted) of \(header.seriesCount)") }
            let checkpoint = wanted / offsets.stride
            let range = try offsets.range(checkpoint)
            if position > wanted || position / offsets.stride != checkpoint {
                offset = range.lowerBound
                position = checkpoint * offsets.stride
            } else if position % offsets.stride == 0, offset != range.lowerBound {
                throw .malformed("series index offset \(range.lowerBound) for series \(position)")
            }
            // The walk stays inside its checkpoint's bytes.
            let bounded = UnsafeRawBufferPointer(rebasing: bytes[0..<range.upperBound])
            while true {
                let entry = try SeriesHeader(bounded, at: &offset, rows: header.rowCount)
                guard entry.idDelta == (position == 0 ? 0 : 1) else { throw .malformed("series \(position) is not numbered by position") }
                if position == wanted {
                    series.append(try decodeSeries(id: Int64(position), bounded, at: &offset, header: header, entry: entry))
                    position += 1
                    break
                }
                offset += entry.bitmapLength + entry.length
                position += 1
            }
        }
        return Block(timestamps: header.timestamps, columns: header.columns, series: series)
    }

    /// The byte ranges of a `count`-byte block that ``decode(_:positions:index:)`` reads for
    /// `positions`, ascending and merged: the block's header, then the stride of series around
    /// each wanted one. A reader fetching only these (SQLite's incremental blob reads) skips most
    /// of a wide block. Throws when the index does not hold together.
    public static func indexedRanges(positions: [Int], index: UnsafeRawBufferPointer, count: Int) throws(DecodingError) -> [Range<Int>] {
        let offsets = try IndexOffsets(index, count: count)
        var ranges = [0..<offsets.first]
        var last = -1
        for position in positions {
            let checkpoint = position / offsets.stride
            guard checkpoint != last else { continue }
            guard position >= 0, checkpoint > last else { throw .malformed("positions not ascending") }
            last = checkpoint
            let range = try offsets.range(checkpoint)
            if let previous = ranges.last, previous.upperBound == range.lowerBound {
                ranges[ranges.count - 1] = previous.lowerBound..<range.upperBound
            } else {
                ranges.append(range)
            }
        }
        return ranges
    }
}
