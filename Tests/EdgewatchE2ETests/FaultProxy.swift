import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP proxy on loopback that injects network faults between the agent and the hub:
/// refused connections, resets in the middle of request or response bodies, latency and a
/// bandwidth cap. Each accepted connection gets the fault set at that moment. With several targets
/// it is a round-robin balancer without health checks: a connection to a dead target is reset.
final class FaultProxy: Sendable {
    enum Fault: Equatable, Sendable {
        case none
        /// Reset both sides after forwarding this many request bytes.
        case resetRequest(after: Int)
        /// Reset both sides after forwarding this many response bytes.
        case resetResponse(after: Int)
        /// Delay every chunk by this many milliseconds.
        case latency(milliseconds: Int)
        /// Forward at most this many bytes per second in each direction.
        case bandwidth(bytesPerSecond: Int)
    }

    private struct State {
        var fault = Fault.none
        /// Apply the fault only to every n-th connection (1: all).
        var every = 1
        var listener: Int32 = -1
        var accepted = 0
        var faultsInjected = 0
    }

    let port: UInt16
    let targets: [UInt16]
    private let state = Mutex(State())

    var faultsInjected: Int { state.withLock { $0.faultsInjected } }

    convenience init(target: UInt16) throws {
        try self.init(targets: [target])
    }

    init(targets: [UInt16]) throws {
        self.targets = targets
        port = try NodeExporterPeer.freePort()
        try listen()
    }

    deinit { stop() }

    func set(_ fault: Fault, every: Int = 1) {
        state.withLock {
            $0.fault = fault
            $0.every = max(1, every)
        }
    }

    /// Stops accepting: new connections are refused until ``listen()``.
    func refuse() {
        let fd = state.withLock {
            let fd = $0.listener
            $0.listener = -1
            return fd
        }
        if fd >= 0 {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    func listen() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(fd, 64) == 0 else {
            close(fd)
            throw HarnessError("proxy cannot listen on \(port)")
        }
        state.withLock { $0.listener = fd }
        Thread.detachNewThread { [self] in acceptLoop(fd) }
    }

    func stop() {
        refuse()
    }

    static func loopback(_ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop(_ fd: Int32) {
        while true {
            let client = accept(fd, nil, nil)
            if client < 0 { return }
            let (applied, target) = state.withLock {
                $0.accepted += 1
                let applied = $0.accepted % $0.every == 0 ? $0.fault : .none
                if applied != .none { $0.faultsInjected += 1 }
                return (applied, targets[$0.accepted % targets.count])
            }
            Thread.detachNewThread { [self] in relay(client, to: target, applied) }
        }
    }

    private static func reset(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }

    private func relay(_ client: Int32, to target: UInt16, _ fault: Fault) {
        let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = Self.loopback(target)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(server, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Self.reset(client)
            close(server)
            return
        }
        var sentUp = 0, sentDown = 0
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        var fds = [pollfd(fd: client, events: Int16(POLLIN), revents: 0), pollfd(fd: server, events: Int16(POLLIN), revents: 0)]
        loop: while true {
            guard poll(&fds, 2, 30_000) > 0 else { break }
            for (index, entry) in fds.enumerated() where entry.revents != 0 {
                let source = entry.fd, sink = index == 0 ? server : client
                var limit = buffer.count
                if case .bandwidth(let rate) = fault { limit = max(1, min(limit, rate / 10)) }
                let count = buffer.withUnsafeMutableBytes { recv(source, $0.baseAddress, limit, 0) }
                if count <= 0 { break loop }
                let chunk = count
                let resetAfter: Int?
                switch fault {
                case .resetRequest(let after) where index == 0: resetAfter = after
                case .resetResponse(let after) where index == 1: resetAfter = after
                default: resetAfter = nil
                }
                let sent = index == 0 ? sentUp : sentDown
                if let after = resetAfter, sent + count >= after {
                    _ = buffer.withUnsafeBytes { send(sink, $0.baseAddress, max(0, after - sent), 0) }
                    Self.reset(client)
                    Self.reset(server)
                    return
                }
                switch fault {
                case .latency(let milliseconds):
                    usleep(useconds_t(milliseconds * 1000))
                case .bandwidth(let rate):
                    usleep(useconds_t(count * 1_000_000 / max(rate, 1)))
                default:
                    break
                }
                var offset = 0
                while offset < chunk {
                    let written = buffer.withUnsafeBytes { send(sink, $0.baseAddress! + offset, chunk - offset, Int32(MSG_NOSIGNAL)) }
                    if written <= 0 { break loop }
                    offset += written
                }
                if index == 0 { sentUp += chunk } else { sentDown += chunk }
            }
        }
        close(client)
        close(server)
    }
}
