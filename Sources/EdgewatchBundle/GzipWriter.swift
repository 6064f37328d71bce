import CZlib

/// Compresses a byte stream into a gzip file (RFC 1952) through the system zlib, in 64 KiB
/// steps, so memory stays flat whatever the size.
public final class GzipWriter {
    private var stream = z_stream()
    private let output: OutputFile
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)
    private var open: Bool

    public init(output: OutputFile, level: Int32 = 6) throws(BundleError) {
        self.output = output
        open = edgewatch_deflate_init_gzip(&stream, level) == Z_OK
        guard open else { throw BundleError.io(path: output.path, reason: "cannot initialise zlib") }
    }

    deinit {
        if open { deflateEnd(&stream) }
    }

    /// Uncompressed bytes written so far.
    public var totalIn: Int64 { Int64(stream.total_in) }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(BundleError) {
        guard bytes.count > 0 else { return }
        stream.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        stream.avail_in = UInt32(bytes.count)
        while stream.avail_in > 0 { try step(Z_NO_FLUSH) }
    }

    public func write(_ bytes: [UInt8]) throws(BundleError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(BundleError) in try write(raw) } }.get()
    }

    /// Ends the gzip stream and finishes (fsyncs) the file.
    public func finish() throws(BundleError) {
        var status: Int32 = Z_OK
        while status != Z_STREAM_END { status = try step(Z_FINISH) }
        deflateEnd(&stream)
        open = false
        try output.finish()
    }

    @discardableResult
    private func step(_ flush: Int32) throws(BundleError) -> Int32 {
        let (status, produced) = chunk.withUnsafeMutableBufferPointer { target -> (Int32, Int) in
            stream.next_out = target.baseAddress
            stream.avail_out = UInt32(target.count)
            let status = deflate(&stream, flush)
            return (status, target.count - Int(stream.avail_out))
        }
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw BundleError.io(path: output.path, reason: "zlib deflate failed (\(status))")
        }
        if produced > 0 { try output.write(Array(chunk[0..<produced])) }
        return status
    }
}
