import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A fake systemd: a Unix datagram socket passed as NOTIFY_SOCKET, collecting what the agent says.
final class NotifySocket {
    let path: String
    private let descriptor: Int32

    init(directory: String) throws {
        path = directory + "/notify.sock"
        descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw HarnessError("socket failed") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        _ = withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            path.utf8CString.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(buffer.count - 1))) }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0 else { throw HarnessError("bind \(path) failed") }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    /// Messages received until `deadline`, or until one contains `until`.
    func receive(until: String, timeout: TimeInterval) -> [String] {
        var messages: [String] = []
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                messages.append(message)
                if message.contains(until) { break }
            }
        }
        return messages
    }
}

@Suite("systemd notification", .serialized)
struct SystemdNotifyTests {
    @Test("READY=1 after the first cycle, WATCHDOG=1 while collecting, STOPPING=1 on SIGTERM")
    func notify() throws {
        let scratch = try AgentScratch()
        let socket = try NotifySocket(directory: scratch.path)
        let agent = try AgentProcess(
            directory: scratch.path,
            config: scratch.config,
            port: try NodeExporterPeer.freePort(),
            environment: ["NOTIFY_SOCKET": socket.path, "WATCHDOG_USEC": "400000"]
        )
        let ready = socket.receive(until: "READY=1", timeout: 10)
        #expect(ready.contains { $0.contains("READY=1") }, "got \(ready)")
        let watchdog = socket.receive(until: "WATCHDOG=1", timeout: 5)
        #expect(watchdog.contains { $0.contains("WATCHDOG=1") }, "got \(watchdog)")
        agent.signal(SIGTERM)
        let stopping = socket.receive(until: "STOPPING=1", timeout: 10)
        #expect(stopping.contains { $0.contains("STOPPING=1") }, "got \(stopping)")
        #expect(agent.wait() == 0)
    }
}
