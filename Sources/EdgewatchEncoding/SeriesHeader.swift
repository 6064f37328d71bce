/// One series' header: its id delta, then the lengths of its presence bitmap and XOR payload
/// (both checked to lie inside the block).
struct SeriesHeader {
    let idDelta: UInt64
    let bitmapLength: Int
    let length: Int

    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer, at index: inout Int, rows: Int) throws(DecodingError) {
        idDelta = try Varint.read(bytes, at: &index)
        let lengthAndFlag = try Varint.read(bytes, at: &index)
        guard lengthAndFlag >> 1 < UInt64(bytes.count) else { throw .truncated }
        length = Int(lengthAndFlag >> 1)
        bitmapLength = lengthAndFlag & 1 == 1 ? (rows + 7) / 8 : 0
        guard index + bitmapLength + length <= bytes.count else { throw .truncated }
    }
}
