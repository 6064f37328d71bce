#if canImport(Glibc)
import Glibc
#endif

/// This node's own secret: created on first join (random, mode 0600) and kept; the hub stores
/// its hash and refuses another secret for the same node name.
public enum NodeSecret {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func loadOrCreate(at path: String) throws(Failure) -> String {
        if let text = read(path) {
            let secret = text.filter { !$0.isWhitespace }
            guard secret.count >= 16 else { throw Failure(description: "\(path): the node secret must be at least 16 characters") }
            return secret
        }
        let secret = Secrets.randomToken(bytes: 32)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let text = secret + "\n"
        guard text.withCString({ write(descriptor, $0, strlen($0)) }) == text.utf8.count, fsync(descriptor) == 0 else {
            throw Failure(description: "cannot write \(path)")
        }
        return secret
    }

    /// A small text file, or nil when it cannot be read.
    public static func read(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        guard count >= 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }

    /// The host name (for the node name when the config sets none).
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
