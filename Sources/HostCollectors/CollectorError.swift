import HostFS

/// Why a collector produced no data.
public enum CollectorError: Error, Sendable, CustomStringConvertible {
    /// What it reads does not exist on this host (a missing file, no such hardware, PSI off).
    case unavailable(String)
    /// Reading or parsing failed.
    case failed(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): return "unavailable: \(reason)"
        case .failed(let reason): return "failed: \(reason)"
        }
    }

    /// Maps a file error: a missing file means "unavailable", anything else "failed".
    public init(_ error: FileSystemError) {
        self = error.isGone ? .unavailable(error.description) : .failed(error.description)
    }
}
