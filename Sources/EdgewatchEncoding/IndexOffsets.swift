/// A series index (``BlockCodec/seriesIndex(_:stride:)``) read for a block of `count` bytes: its
/// stride and the byte range of each checkpoint's series, checked where it is used.
struct IndexOffsets {
    let stride: Int
    /// How many checkpoints the index holds.
    let count: Int
    private let index: UnsafeRawBufferPointer
    private let wide: Bool
    private let blockCount: Int

    init(_ index: UnsafeRawBufferPointer, count blockCount: Int) throws(DecodingError) {
        guard index.count >= 2, index[0] > 0, index[1] == 2 || index[1] == 4 else { throw .malformed("series index header") }
        stride = Int(index[0])
        wide = index[1] == 4
        let width = Int(index[1])
        count = (index.count - 2) / width
        guard count > 0, (index.count - 2) % width == 0 else { throw .malformed("series index of \(index.count) bytes") }
        self.index = index
        self.blockCount = blockCount
        guard offset(0) > 0, offset(0) < blockCount else { throw .malformed("series index starts at \(offset(0))") }
    }

    /// Where the first checkpoint starts (the end of the block's header), inside the block.
    var first: Int { offset(0) }

    /// The bytes of checkpoint `checkpoint`'s series: from its offset to the next checkpoint's, or
    /// to the block's end; throws when that is not a range inside the block.
    func range(_ checkpoint: Int) throws(DecodingError) -> Range<Int> {
        guard checkpoint >= 0, checkpoint < count else { throw .malformed("series index holds \(count) offsets") }
        let start = offset(checkpoint)
        let end = checkpoint + 1 < count ? offset(checkpoint + 1) : blockCount
        guard start > 0, start < end, end <= blockCount else { throw .malformed("series index offsets \(start)..<\(end)") }
        return start..<end
    }

    private func offset(_ checkpoint: Int) -> Int {
        let at = 2 + checkpoint * (wide ? 4 : 2)
        let low = Int(index[at]) | Int(index[at + 1]) << 8
        return wide ? low | Int(index[at + 2]) << 16 | Int(index[at + 3]) << 24 : low
    }
}
