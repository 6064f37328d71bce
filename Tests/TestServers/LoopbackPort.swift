#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for the suite's servers.
public enum LoopbackPort {
    /// A loopback port nobody listens on right now; nil when the kernel gives none.
    public static func free() -> UInt16? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        return bound == 0 ? UInt16(bigEndian: address.sin_port) : nil
    }
}
