/// Why a bundle cannot be written or read. Every case names the file or part and, when reading,
/// the byte offset where the trouble is, so a damaged USB stick is diagnosable.
public enum BundleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file could not be opened, written or read.
    case io(path: String, reason: String)
    /// The gzip stream is damaged or ends early; `offset` counts compressed bytes.
    case gzip(offset: Int64, reason: String)
    /// The tar stream is damaged; `offset` counts uncompressed bytes of the archive.
    case tar(offset: Int64, reason: String)
    /// A part is wrong: bad checksum, size, syntax, or missing.
    case part(name: String, offset: Int64, reason: String)
    /// The manifest cannot be read or is from an incompatible version.
    case manifest(String)

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        case .gzip(let offset, let reason): return "gzip stream at compressed byte \(offset): \(reason)"
        case .tar(let offset, let reason): return "tar archive at byte \(offset): \(reason)"
        case .part(let name, let offset, let reason): return "part \(name) at byte \(offset): \(reason)"
        case .manifest(let reason): return "manifest.json: \(reason)"
        }
    }
}
