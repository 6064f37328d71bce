import EdgewatchCore
import EdgewatchWire

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
        if let text = try? LocalFiles.read(path) {
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

    /// The host name (for the node name when the config sets none).
    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
