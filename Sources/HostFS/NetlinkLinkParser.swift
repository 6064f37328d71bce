/// Parses the replies of an `RTM_GETLINK` dump (rtnetlink): per link its name (`IFLA_IFNAME`) and
/// `IFLA_STATS64` counters. Pure over the bytes; malformed or truncated messages end the parse
/// with what was read so far.
public enum NetlinkLinkParser {
    static let headerLength = 16  // struct nlmsghdr
    static let ifinfoLength = 16  // struct ifinfomsg
    static let done: UInt16 = 3  // NLMSG_DONE
    static let error: UInt16 = 2  // NLMSG_ERROR
    static let newLink: UInt16 = 16  // RTM_NEWLINK
    static let ifName: UInt16 = 3  // IFLA_IFNAME
    static let stats64: UInt16 = 23  // IFLA_STATS64

    /// The links in `bytes` (one recv's worth of messages) and whether the dump is complete.
    public static func parse(_ bytes: [UInt8]) -> (links: [LinkStatistics], done: Bool) {
        var links: [LinkStatistics] = []
        var offset = 0
        while offset + headerLength <= bytes.count {
            let length = Int(u32(bytes, offset))
            let type = u16(bytes, offset + 4)
            guard length >= headerLength, offset + length <= bytes.count else { break }
            if type == done || type == error { return (links, true) }
            if type == newLink, let link = link(bytes, from: offset + headerLength, to: offset + length) { links.append(link) }
            offset += (length + 3) & ~3
        }
        return (links, false)
    }

    /// One RTM_NEWLINK payload: ifinfomsg, then attributes.
    static func link(_ bytes: [UInt8], from start: Int, to end: Int) -> LinkStatistics? {
        var offset = start + ifinfoLength
        var name: String?
        var counters: [UInt64] = []
        while offset + 4 <= end {
            let length = Int(u16(bytes, offset))
            let type = u16(bytes, offset + 2) & 0x3FFF
            guard length >= 4, offset + length <= end else { break }
            let value = (offset + 4)..<(offset + length)
            if type == ifName {
                name = String(decoding: bytes[value].prefix { $0 != 0 }, as: UTF8.self)
            } else if type == stats64 {
                counters = stride(from: value.lowerBound, to: value.upperBound - 7, by: 8).map { u64(bytes, $0) }
            }
            offset += (length + 3) & ~3
        }
        guard let name, !counters.isEmpty else { return nil }
        return LinkStatistics(name: name, counters: counters)
    }

    // Netlink is in host byte order: little-endian on every platform edgewatch runs on.
    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
    static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) } }
}
