import Testing

@testable import TestServers

#if canImport(Glibc)
import Glibc
#endif

/// The suite's servers' ports: never one the kernel gives connecting sockets, never one twice.
struct LoopbackPortTests {
    @Test func portsAreDistinctAndBelowTheEphemeralRange() throws {
        let ports = (0..<200).compactMap { _ in LoopbackPort.free() }
        #expect(ports.count == 200)
        #expect(Set(ports).count == ports.count)
        let (low, high) = LoopbackPort.range
        #expect(ports.allSatisfy { Int($0) >= low && Int($0) < high })
        // The kernel's range as configured here: no port handed out lies in it.
        let configured = try String(decoding: #require(readAll("/proc/sys/net/ipv4/ip_local_port_range")), as: UTF8.self)
        let first = try #require(configured.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) })
        if first > 12000 { #expect(ports.allSatisfy { Int($0) < first }) }
    }

    @Test func aPortInUseIsNotFree() throws {
        let taken = try #require(LoopbackPort.free())
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = taken.bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == 0)
        #expect(listen(fd, 1) == 0)
        // While it listens it is not free; once closed it is.
        #expect(!LoopbackPort.binds(taken))
    }

    private func readAll(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = fread(&buffer, 1, buffer.count, file)
        return Array(buffer.prefix(count))
    }
}
