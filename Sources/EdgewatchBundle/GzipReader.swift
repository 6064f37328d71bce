import CZlib

/// Inflates a gzip file (RFC 1952, several members allowed) as a stream; damage and early ends
/// are errors naming the compressed byte offset. zlib checks each member's CRC-32 and length.
public final class GzipReader {
    private var stream = z_stream()
    private let input: InputFile
    /// Owned input buffer; zlib keeps pointing into it between calls.
    private let compressed = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
    private var inputEnded = false
    private var memberEnded = false
    private var open: Bool

    public init(input: InputFile) throws(BundleError) {
        self.input = input
        open = edgewatch_inflate_init_gzip(&stream) == Z_OK
        guard open else { throw BundleError.gzip(offset: 0, reason: "cannot initialise zlib") }
    }

    deinit {
        if open { inflateEnd(&stream) }
        compressed.deallocate()
    }

    /// Compressed bytes consumed so far.
    public var compressedOffset: Int64 { input.offset - Int64(stream.avail_in) }

    /// Fills `buffer` with up to its size of inflated bytes; 0 at the end of the last member.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(BundleError) -> Int {
        while true {
            if stream.avail_in == 0, !inputEnded { try refill() }
            if memberEnded {
                // Another member follows, or the stream is over.
                guard stream.avail_in > 0 else { return 0 }
                inflateReset(&stream)
                memberEnded = false
            }
            stream.next_out = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = UInt32(buffer.count)
            let status = inflate(&stream, Z_NO_FLUSH)
            let produced = buffer.count - Int(stream.avail_out)
            switch status {
            case Z_STREAM_END:
                memberEnded = true
                if stream.avail_in == 0, !inputEnded { try refill() }
            case Z_OK:
                break
            case Z_BUF_ERROR where inputEnded && stream.avail_in == 0:
                throw BundleError.gzip(offset: compressedOffset, reason: "the file ends inside the compressed stream (truncated)")
            case Z_BUF_ERROR:
                break
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                throw BundleError.gzip(offset: compressedOffset, reason: message)
            }
            if produced > 0 { return produced }
            if inputEnded, stream.avail_in == 0, !memberEnded {
                throw BundleError.gzip(offset: compressedOffset, reason: "the file ends inside the compressed stream (truncated)")
            }
        }
    }

    private func refill() throws(BundleError) {
        let count = try input.read(into: compressed)
        if count == 0 {
            inputEnded = true
            if input.offset == 0 { throw BundleError.gzip(offset: 0, reason: "the file is empty") }
            return
        }
        stream.next_in = compressed.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.avail_in = UInt32(count)
    }
}
