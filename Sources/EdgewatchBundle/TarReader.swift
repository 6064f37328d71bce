/// Reads a tar archive from a gzip stream entry by entry, with bounded memory: ``next()`` gives
/// the next regular file's header, ``read(into:)`` its bytes. Errors name the archive offset and,
/// inside a file, the part.
public final class TarReader {
    private let gzip: GzipReader
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    /// Uncompressed bytes of the archive consumed.
    public private(set) var offset: Int64 = 0
    private var remaining: Int64 = 0
    private var padding: Int64 = 0
    private var entry: TarHeader?
    /// Offset within the current entry.
    public private(set) var entryOffset: Int64 = 0

    public init(gzip: GzipReader) { self.gzip = gzip }

    /// Compressed bytes consumed, for error messages.
    public var compressedOffset: Int64 { gzip.compressedOffset }

    /// The next regular file (other entry types are skipped); nil at the end of the archive.
    public func next() throws(BundleError) -> TarHeader? {
        try skip(remaining + padding)
        remaining = 0
        padding = 0
        entry = nil
        while true {
            let headerOffset = offset
            guard let block = try take(TarHeader.blockSize) else {
                throw BundleError.tar(offset: headerOffset, reason: "the archive ends without its end-of-archive blocks (truncated)")
            }
            let header: TarHeader?
            do {
                header = try TarHeader.decode(block)
            } catch {
                throw BundleError.tar(offset: headerOffset, reason: error.reason)
            }
            guard let header else { return nil }
            let padded = (header.size + 511) / 512 * 512
            guard header.isRegularFile else {
                try skip(padded)
                continue
            }
            entry = header
            entryOffset = 0
            remaining = header.size
            padding = padded - header.size
            return header
        }
    }

    /// Up to `target.count` bytes of the current entry; 0 at its end.
    public func read(into target: UnsafeMutableRawBufferPointer) throws(BundleError) -> Int {
        guard remaining > 0, target.count > 0 else { return 0 }
        if start == end { try fill() }
        guard start < end else {
            throw BundleError.part(name: entry?.name ?? "?", offset: entryOffset, reason: "the archive ends inside this part (truncated)")
        }
        let count = min(target.count, end - start, Int(min(remaining, Int64(Int.max))))
        buffer.withUnsafeBytes { source in
            if let base = source.baseAddress { target.baseAddress?.copyMemory(from: base + start, byteCount: count) }
        }
        start += count
        offset += Int64(count)
        remaining -= Int64(count)
        entryOffset += Int64(count)
        return count
    }

    /// Reads `count` bytes exactly, nil when the stream ends first.
    private func take(_ count: Int) throws(BundleError) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            if start == end { try fill() }
            guard start < end else { return nil }
            let n = min(count - result.count, end - start)
            result += buffer[start..<(start + n)]
            start += n
            offset += Int64(n)
        }
        return result
    }

    private func skip(_ count: Int64) throws(BundleError) {
        var left = count
        while left > 0 {
            if start == end { try fill() }
            guard start < end else {
                if let entry {
                    throw BundleError.part(name: entry.name, offset: entryOffset, reason: "the archive ends inside this part (truncated)")
                }
                throw BundleError.tar(offset: offset, reason: "the archive ends inside an entry (truncated)")
            }
            let n = Int(min(left, Int64(end - start)))
            start += n
            offset += Int64(n)
            left -= Int64(n)
        }
    }

    private func fill() throws(BundleError) {
        start = 0
        end = try buffer.withUnsafeMutableBytes { raw in Result { () throws(BundleError) -> Int in try gzip.read(into: raw) } }.get()
    }
}
