import EdgewatchCore
import EdgewatchWire

#if canImport(Glibc)
import Glibc
#endif

/// The hub's files: the data directory and the join token (created once, mode 0600).
enum HubFiles {
    static func makeDirectory(_ path: String) throws(HubError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw HubError("cannot create \(prefix): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Reads the join token at `path`, creating a random one (0600) when the file does not exist.
    /// With `create` false (a token file named in the config) a missing file is an error.
    static func joinToken(at path: String, create: Bool = true) throws(HubError) -> (token: String, created: Bool) {
        if let existing = try? LocalFiles.read(path) {
            let token = existing.filter { !$0.isWhitespace }
            guard token.count >= 16 else { throw HubError("\(path): the join token must be at least 16 characters") }
            return (token, false)
        }
        guard create else { throw HubError("token_file: cannot read \(path)") }
        let token = "K10" + Secrets.randomToken(bytes: 24)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw HubError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let text = token + "\n"
        let written = text.withCString { write(descriptor, $0, strlen($0)) }
        guard written == text.utf8.count, fsync(descriptor) == 0 else { throw HubError("cannot write \(path)") }
        return (token, true)
    }
}

/// Wall-clock milliseconds.
enum HubClock {
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
