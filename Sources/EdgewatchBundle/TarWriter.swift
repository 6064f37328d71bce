/// Writes a ustar archive into a gzip stream: each part's header, its bytes, padding to 512, and
/// two zero blocks at the end — what GNU tar and Python's tarfile read.
public final class TarWriter {
    private let gzip: GzipWriter
    private var remaining: Int64 = 0
    private var current = ""

    public init(gzip: GzipWriter) { self.gzip = gzip }

    /// Starts a regular file of exactly `size` bytes.
    public func begin(name: String, size: Int64, modified: Int64) throws(BundleError) {
        guard remaining == 0 else { throw BundleError.io(path: current, reason: "\(remaining) bytes of the part were not written") }
        guard name.utf8.count <= 100 else { throw BundleError.io(path: name, reason: "a part name must be at most 100 bytes") }
        current = name
        remaining = size
        try gzip.write(TarHeader(name: name, size: size, modified: modified).encoded())
        if size == 0 { return }
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(BundleError) {
        guard Int64(bytes.count) <= remaining else { throw BundleError.io(path: current, reason: "the part grew while it was archived") }
        remaining -= Int64(bytes.count)
        try gzip.write(bytes)
        if remaining == 0 { try pad() }
    }

    public func write(_ bytes: [UInt8]) throws(BundleError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(BundleError) in try write(raw) } }.get()
    }

    /// Ends the archive and the gzip stream.
    public func finish() throws(BundleError) {
        guard remaining == 0 else { throw BundleError.io(path: current, reason: "\(remaining) bytes of the part were not written") }
        try gzip.write([UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
        try gzip.finish()
    }

    private func pad() throws(BundleError) {
        let used = Int(gzip.totalIn % Int64(TarHeader.blockSize))
        if used != 0 { try gzip.write([UInt8](repeating: 0, count: TarHeader.blockSize - used)) }
    }
}
