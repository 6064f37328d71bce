#if canImport(Glibc)
import Glibc
#endif

extension LiveHostKernel {
    /// Every link's counters in one `RTM_GETLINK` dump over a NETLINK_ROUTE socket (what
    /// node_exporter's default netdev mode reads); nil when netlink is unavailable.
    public func linkStatistics() -> [LinkStatistics]? {
        let descriptor = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)  // NETLINK_ROUTE
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // nlmsghdr (length, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, sequence 1, pid 0) + ifinfomsg (AF_UNSPEC).
        var request = [UInt8](repeating: 0, count: 32)
        request[0] = 32
        request[4] = 18  // RTM_GETLINK
        request[6] = 0x01 | 0x00  // NLM_F_REQUEST
        request[7] = 0x03  // NLM_F_DUMP (0x300) >> 8
        request[8] = 1
        guard request.withUnsafeBytes({ send(descriptor, $0.baseAddress, $0.count, 0) }) == request.count else { return nil }
        var links: [LinkStatistics] = []
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        for _ in 0..<1024 {
            let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            guard received > 0 else { return nil }
            let (found, done) = NetlinkLinkParser.parse(Array(buffer[0..<received]))
            links += found
            if done { return links }
        }
        return nil
    }
}
