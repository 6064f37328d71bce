#if canImport(Glibc)
import Glibc
#endif

/// systemd's notify protocol without libsystemd: datagrams like `READY=1` to the unix socket named
/// in `NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace), and the watchdog period from
/// `WATCHDOG_USEC` when `WATCHDOG_PID` is unset or this process.
struct SystemdNotifySocket {
    let address: String

    /// The socket systemd gave this process; nil when not started as `Type=notify`.
    init?(environment: [String: String]) {
        guard let address = environment["NOTIFY_SOCKET"], address.hasPrefix("/") || address.hasPrefix("@"), address.utf8.count < 108 else {
            return nil
        }
        self.address = address
    }

    /// The watchdog period in microseconds, when systemd runs one for this process.
    static func watchdogMicroseconds(environment: [String: String], pid: Int32) -> UInt64? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], Int32(owner) != pid { return nil }
        return microseconds
    }

    /// Sends one state datagram; false when it could not be sent (systemd gone).
    @discardableResult
    func send(_ state: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var path = Array(address.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }  // abstract namespace: a leading NUL
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { buffer in
            for (index, byte) in path.enumerated() where index < buffer.count { buffer[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let sent = state.withCString { text in
            withUnsafePointer(to: &socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(descriptor, text, strlen(text), Int32(MSG_NOSIGNAL), $0, length) }
            }
        }
        return sent >= 0
    }
}
