import HostFS
import Testing

@Suite("rtnetlink link statistics")
struct NetlinkTests {
    /// One RTM_NEWLINK message with a name and `counters` as IFLA_STATS64, little-endian.
    static func newLink(_ name: String, counters: [UInt64]) -> [UInt8] {
        func u16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
        func u32(_ value: Int) -> [UInt8] { u16(value & 0xFFFF) + u16(value >> 16) }
        func attribute(_ type: Int, _ payload: [UInt8]) -> [UInt8] {
            let bytes = u16(payload.count + 4) + u16(type) + payload
            return bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
        }
        let stats = counters.flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) } }
        let body = [UInt8](repeating: 0, count: 16) + attribute(3, Array(name.utf8) + [0]) + attribute(23, stats)
        return u32(body.count + 16) + u16(16) + u16(2) + u32(1) + u32(0) + body
    }

    static let done: [UInt8] = [20, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]

    @Test("names and counters of each link, the end of the dump, and truncation that stops without a crash")
    func parse() {
        let eth = Self.newLink("eth0", counters: (0..<25).map { UInt64($0) * 1000 + 1 })
        let wlan = Self.newLink("wlan0", counters: [5, 6, 7, 8])
        let (links, done) = NetlinkLinkParser.parse(eth + wlan + Self.done)
        #expect(done)
        #expect(links.map(\.name) == ["eth0", "wlan0"])
        #expect(links[0][.rxBytes] == 2001 && links[0][.rxNohandler] == 23001 && links[0][.txCarrierErrors] == 17001)
        #expect(links[1][.txBytes] == 8 && links[1][.rxNohandler] == 0, "fields an older kernel lacks read as 0")
        for cut in [1, 7, 19, 40, eth.count - 3] {
            let partial = NetlinkLinkParser.parse(Array(eth.prefix(cut)))
            #expect(!partial.done && partial.links.isEmpty)
        }
    }

    @Test("the live kernel answers a link dump with the loopback interface and full counters")
    func live() throws {
        let links = try #require(LiveHostKernel().linkStatistics())
        let loopback = try #require(links.first { $0.name == "lo" })
        #expect(loopback.counters.count >= 24)
    }
}
