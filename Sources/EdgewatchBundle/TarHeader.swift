/// One POSIX ustar header block (512 bytes): what the bundle writes for each part and what the
/// reader accepts (ustar and GNU tar's variant, sizes in octal or GNU base-256).
public struct TarHeader: Sendable, Equatable {
    public static let blockSize = 512

    public var name: String
    public var size: Int64
    /// Seconds since the epoch.
    public var modified: Int64
    /// `0` (or NUL) for a regular file, `5` a directory, `x`/`g` pax headers, `L` a GNU long name.
    public var type: UInt8

    public init(name: String, size: Int64, modified: Int64, type: UInt8 = 0x30) {
        self.name = name
        self.size = size
        self.modified = modified
        self.type = type
    }

    public var isRegularFile: Bool { type == 0x30 || type == 0 }

    /// The 512-byte block: mode 0644, owner 0/0 named root, checksum filled in.
    public func encoded() -> [UInt8] {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        Self.put(Array(name.utf8.prefix(100)), at: 0, in: &block)
        Self.put(Self.octal(0o644, width: 8), at: 100, in: &block)
        Self.put(Self.octal(0, width: 8), at: 108, in: &block)
        Self.put(Self.octal(0, width: 8), at: 116, in: &block)
        Self.put(Self.number(size, width: 12), at: 124, in: &block)
        Self.put(Self.octal(modified, width: 12), at: 136, in: &block)
        block[156] = type
        Self.put(Array("ustar\u{0}00".utf8), at: 257, in: &block)
        Self.put(Array("root".utf8), at: 265, in: &block)
        Self.put(Array("root".utf8), at: 297, in: &block)
        Self.put([UInt8](repeating: 0x20, count: 8), at: 148, in: &block)
        let sum = block.reduce(0) { $0 + Int64($1) }
        Self.put(Self.octal(sum, width: 7) + [0x20], at: 148, in: &block)
        return block
    }

    /// Parses a header block; nil for an all-zero block (the end of the archive).
    public static func decode(_ block: [UInt8]) throws(TarHeader.Failure) -> TarHeader? {
        guard block.count == blockSize else { throw Failure("a header block must be 512 bytes") }
        if block.allSatisfy({ $0 == 0 }) { return nil }
        var sum: Int64 = 0
        for (index, byte) in block.enumerated() { sum += (148..<156).contains(index) ? 0x20 : Int64(byte) }
        guard let stored = number(block[148..<156]), stored == sum else {
            throw Failure("header checksum mismatch (not a tar archive, or damaged)")
        }
        guard let size = number(block[124..<136]), size >= 0 else { throw Failure("unreadable size field") }
        var name = text(block[0..<100])
        let magic = Array(block[257..<263])
        if magic == Array("ustar\u{0}".utf8) || magic == Array("ustar ".utf8) {
            let prefix = text(block[345..<500])
            if !prefix.isEmpty, magic == Array("ustar\u{0}".utf8) { name = prefix + "/" + name }
        }
        return TarHeader(name: name, size: size, modified: number(block[136..<148]) ?? 0, type: block[156])
    }

    /// A header that does not parse.
    public struct Failure: Error, Sendable {
        public var reason: String
        init(_ reason: String) { self.reason = reason }
    }

    private static func put(_ bytes: [UInt8], at offset: Int, in block: inout [UInt8]) {
        for (index, byte) in bytes.enumerated() { block[offset + index] = byte }
    }

    /// `value` in octal, zero-padded to `width - 1` digits and NUL-terminated.
    static func octal(_ value: Int64, width: Int) -> [UInt8] {
        var digits = Array(String(value, radix: 8).utf8)
        while digits.count < width - 1 { digits.insert(0x30, at: 0) }
        return digits + [0]
    }

    /// Octal when it fits, GNU base-256 (high bit set, big-endian) beyond 8 GiB.
    static func number(_ value: Int64, width: Int) -> [UInt8] {
        if value < (1 << (3 * (width - 1))) { return octal(value, width: width) }
        var bytes = [UInt8](repeating: 0, count: width)
        var rest = value
        for index in stride(from: width - 1, to: 0, by: -1) {
            bytes[index] = UInt8(truncatingIfNeeded: rest)
            rest >>= 8
        }
        bytes[0] = 0x80
        return bytes
    }

    static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            var value: Int64 = Int64(first & 0x7f)
            for byte in field.dropFirst() {
                guard value < (1 << 55) else { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        let digits = field.filter { $0 != 0 && $0 != 0x20 }
        guard !digits.isEmpty else { return 0 }
        guard digits.allSatisfy({ (0x30...0x37).contains($0) }), digits.count <= 21 else { return nil }
        return digits.reduce(Int64(0)) { $0 * 8 + Int64($1 - 0x30) }
    }

    static func text(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }
}
