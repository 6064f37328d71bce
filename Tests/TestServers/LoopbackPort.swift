import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for the suite's servers.
public enum LoopbackPort {
    /// How many ports were handed out in this process: each call starts its search past the last.
    private static let handedOut = Atomic<Int>(0)
    /// Where this process's sequence starts in the range (another test process takes other ports).
    private static let offset = Int.random(in: 0..<1 << 16)
    /// Candidates tried before giving up.
    private static let attempts = 256

    /// A loopback port nobody listens on right now, and that the kernel does not give out to
    /// connecting sockets: below its ephemeral range (`ip_local_port_range`). A port from that
    /// range (what binding port 0 gives) may be taken as the source port of any of the suite's
    /// many loopback connections between this check and the server's bind. No two calls in one
    /// process return the same port (until the range wraps). Nil when none binds.
    public static func free() -> UInt16? {
        let (low, high) = range
        for _ in 0..<attempts {
            let index = (offset + handedOut.wrappingAdd(1, ordering: .relaxed).oldValue) % (high - low)
            let port = UInt16(low + index)
            if binds(port) { return port }
        }
        return nil
    }

    /// The ports handed out: from 10000 up to the kernel's ephemeral range.
    static var range: (low: Int, high: Int) {
        let ephemeral = ephemeralStart ?? 32768
        return ephemeral > 12000 ? (10000, ephemeral) : (ephemeral, 65536)
    }

    /// The first port of `ip_local_port_range`, when it can be read.
    private static var ephemeralStart: Int? {
        guard let file = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r") else { return nil }
        defer { fclose(file) }
        var buffer = [CChar](repeating: 0, count: 64)
        guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
        let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) }
    }

    /// Whether a socket binds 127.0.0.1:`port` now (without `SO_REUSEADDR`: a port still in
    /// `TIME_WAIT` is passed over too).
    static func binds(_ port: UInt16) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
