/// Splits a byte stream into lines (without their `\n`), with a cap on a line's length; the
/// source fills a buffer and returns how many bytes it put there (0 at the end).
public struct LineReader {
    private let source: (UnsafeMutableRawBufferPointer) throws(BundleError) -> Int
    private let maxLineBytes: Int
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0
    private var finished = false
    /// Bytes consumed, newlines included.
    public private(set) var offset: Int64 = 0
    /// Called with every chunk the source delivered (for hashing as the bytes pass).
    public var observe: (ArraySlice<UInt8>) -> Void = { _ in }

    public init(maxLineBytes: Int = 1 << 20, source: @escaping (UnsafeMutableRawBufferPointer) throws(BundleError) -> Int) {
        self.source = source
        self.maxLineBytes = maxLineBytes
    }

    /// The next line, nil at the end; a last line without `\n` is returned too. `tooLong` names
    /// what to throw when a line passes the cap.
    public mutating func next(tooLong: (Int64) -> BundleError) throws(BundleError) -> Substring? {
        var line: [UInt8] = []
        let lineStart = offset
        while true {
            if start == end {
                guard !finished else { return line.isEmpty ? nil : Substring(String(decoding: line, as: UTF8.self)) }
                try fill()
                continue
            }
            let slice = buffer[start..<end]
            if let newline = slice.firstIndex(of: 0x0a) {
                line += buffer[start..<newline]
                offset += Int64(newline - start + 1)
                start = newline + 1
                guard line.count <= maxLineBytes else { throw tooLong(lineStart) }
                return Substring(String(decoding: line, as: UTF8.self))
            }
            line += slice
            offset += Int64(end - start)
            start = end
            guard line.count <= maxLineBytes else { throw tooLong(lineStart) }
        }
    }

    private mutating func fill() throws(BundleError) {
        let count = try buffer.withUnsafeMutableBytes { raw in Result { () throws(BundleError) -> Int in try source(raw) } }.get()
        start = 0
        end = count
        if count == 0 { finished = true } else { observe(buffer[0..<count]) }
    }
}
