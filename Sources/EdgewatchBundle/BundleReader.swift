import EdgewatchCore

/// Reads a bundle front to back and proves it whole: gzip and tar intact, `manifest.json` first
/// and of a version this edgewatch reads, every listed part present once with its size and
/// SHA-256, nothing unlisted. Each part's lines go to a visitor as they stream past, so a caller
/// must treat what it saw as provisional until ``read(path:limits:opened:visit:)`` returns.
public enum BundleReader {
    public struct Limits: Sendable {
        /// Inflated bytes of the whole archive.
        public var maxInflatedBytes: Int64 = 8 << 30
        public var maxLineBytes = 1 << 20
        public var maxManifestBytes = 1 << 20

        public init() {}
    }

    /// Where a line sits: its part, 1-based line number and the byte offset of its start in the part.
    public struct Position: Sendable {
        public var part: BundleManifest.Part
        public var line: Int
        public var offset: Int64
    }

    /// Reads and verifies the bundle at `path` (`-` for standard input); returns its manifest.
    public static func read(
        path: String,
        limits: Limits = Limits(),
        opened: (BundleManifest) throws(BundleError) -> Void = { _ in },
        visit: ((Substring, Position) throws(BundleError) -> Void)? = nil
    ) throws(BundleError) -> BundleManifest {
        let archive = TarReader(gzip: try GzipReader(input: try InputFile(path: path)))
        let manifest = try firstEntry(archive, limits: limits)
        try opened(manifest)
        var seen = Set<String>()
        while let header = try archive.next() {
            guard let part = manifest.part(header.name) else {
                throw BundleError.part(name: header.name, offset: 0, reason: "not listed in manifest.json")
            }
            guard seen.insert(header.name).inserted else { throw BundleError.part(name: header.name, offset: 0, reason: "appears twice") }
            guard header.size == part.bytes else {
                throw BundleError.part(name: part.name, offset: 0, reason: "is \(header.size) bytes, manifest.json says \(part.bytes)")
            }
            guard archive.offset + header.size <= limits.maxInflatedBytes else {
                throw BundleError.part(name: part.name, offset: 0, reason: "the bundle inflates beyond \(limits.maxInflatedBytes) bytes")
            }
            if let visit {
                try lines(of: archive, part: part, limits: limits, visit: visit)
            } else {
                try digest(of: archive, part: part)
            }
        }
        for part in manifest.parts where !seen.contains(part.name) {
            throw BundleError.part(name: part.name, offset: 0, reason: "listed in manifest.json but missing from the archive")
        }
        return manifest
    }

    /// Only the manifest (the first entry), without verifying the parts.
    public static func manifest(path: String, limits: Limits = Limits()) throws(BundleError) -> BundleManifest {
        try firstEntry(TarReader(gzip: try GzipReader(input: try InputFile(path: path))), limits: limits)
    }

    private static func firstEntry(_ archive: TarReader, limits: Limits) throws(BundleError) -> BundleManifest {
        guard let first = try archive.next() else { throw BundleError.manifest("the archive is empty") }
        guard first.name == BundleManifest.fileName else {
            throw BundleError.manifest("expected manifest.json as the first entry, found \"\(first.name)\"")
        }
        guard first.size <= limits.maxManifestBytes else { throw BundleError.manifest("larger than \(limits.maxManifestBytes) bytes") }
        return try BundleManifest.decode(try contents(of: archive, size: Int(first.size)))
    }

    private static func contents(of archive: TarReader, size: Int) throws(BundleError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        var filled = 0
        while filled < size {
            let count = try bytes.withUnsafeMutableBytes { raw in
                Result { () throws(BundleError) -> Int in try archive.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...])) }
            }.get()
            guard count > 0 else { throw BundleError.manifest("truncated") }
            filled += count
        }
        return bytes
    }

    /// Hashes the part without looking at its lines; checks the digest at its end.
    private static func digest(of archive: TarReader, part: BundleManifest.Part) throws(BundleError) {
        var hash = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try buffer.withUnsafeMutableBytes { raw in Result { () throws(BundleError) -> Int in try archive.read(into: raw) } }.get()
            if count == 0 { break }
            buffer.withUnsafeBytes { hash.update(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        try check(hash, part)
    }

    private static func check(_ hash: SHA256, _ part: BundleManifest.Part) throws(BundleError) {
        let digest = hash.hexDigest()
        guard digest == part.sha256 else {
            throw BundleError.part(name: part.name, offset: 0, reason: "sha256 is \(digest), manifest.json says \(part.sha256) (damaged or edited)")
        }
    }

    /// Streams the part's lines to `visit` while hashing it; checks the digest at its end.
    private static func lines(
        of archive: TarReader,
        part: BundleManifest.Part,
        limits: Limits,
        visit: (Substring, Position) throws(BundleError) -> Void
    ) throws(BundleError) {
        var hash = SHA256()
        var lines = LineReader(maxLineBytes: limits.maxLineBytes) { (raw) throws(BundleError) -> Int in try archive.read(into: raw) }
        lines.observe = { hash.update($0) }
        var position = Position(part: part, line: 1, offset: 0)
        while let line = try lines.next(tooLong: { offset in
            BundleError.part(name: part.name, offset: offset, reason: "line \(position.line) is longer than \(limits.maxLineBytes) bytes")
        }) {
            try visit(line, position)
            position.line += 1
            position.offset = lines.offset
        }
        try check(hash, part)
    }
}
