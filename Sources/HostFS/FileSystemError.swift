#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file under an injected root could not be read.
public enum FileSystemError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The path does not exist (or vanished while being read: ENOENT, ENODEV, ESRCH).
    case notFound(path: String)
    /// The process may not read it.
    case permissionDenied(path: String)
    /// Any other errno.
    case io(path: String, errno: Int32)
    /// The file is larger than the reader's bound.
    case tooLarge(path: String, limit: Int)

    public var path: String {
        switch self {
        case .notFound(let path), .permissionDenied(let path), .io(let path, _), .tooLarge(let path, _):
            return path
        }
    }

    /// Whether the file is absent or has gone away, which callers treat as "no data", not a fault.
    public var isGone: Bool {
        if case .notFound = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .notFound(let path): return "\(path): no such file"
        case .permissionDenied(let path): return "\(path): permission denied"
        case .io(let path, let code): return "\(path): \(String(cString: strerror(code)))"
        case .tooLarge(let path, let limit): return "\(path): larger than \(limit) bytes"
        }
    }

    static func from(errno code: Int32, path: String) -> FileSystemError {
        switch code {
        case ENOENT, ENODEV, ESRCH, ENOTDIR, ENXIO: return .notFound(path: path)
        case EACCES, EPERM: return .permissionDenied(path: path)
        default: return .io(path: path, errno: code)
        }
    }
}
