import Logging
import ServiceLifecycle

/// Talks to systemd when started with `NOTIFY_SOCKET` (Type=notify): READY=1 once collection
/// runs, WATCHDOG=1 at half of WatchdogSec while cycles keep completing, STOPPING=1 at shutdown.
public struct SystemdNotifier: Service, CustomStringConvertible {
    /// The service lifecycle logs services by description: a name, not a reflected dump of the fields.
    public var description: String { "SystemdNotifier" }

    let latest: LatestSnapshot
    let interval: Duration
    let logger: Logger

    public init(latest: LatestSnapshot, interval: Duration, logger: Logger) {
        self.latest = latest
        self.interval = interval
        self.logger = logger
    }

    static var environment: [String: String] {
        ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"].reduce(into: [:]) { result, name in
            if let value = getenv(name) { result[name] = String(cString: value) }
        }
    }

    public func run() async throws {
        let environment = Self.environment
        guard let socket = SystemdNotifySocket(environment: environment) else {
            try? await gracefulShutdown()
            return
        }
        let watchdogMicroseconds = SystemdNotifySocket.watchdogMicroseconds(environment: environment, pid: getpid()) ?? 0
        let watchdog = watchdogMicroseconds > 0
        let clock = ContinuousClock()
        // READY once the first cycle has been collected.
        while latest.lastCycle == nil, !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: .milliseconds(50)) }
        }
        socket.send("READY=1")
        logger.debug("systemd notified READY=1", metadata: ["watchdog_usec": "\(watchdogMicroseconds)"])
        let period: Duration = watchdog ? .microseconds(Int64(watchdogMicroseconds / 2)) : .seconds(3600)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if watchdog, let last = latest.lastCycle, clock.now - last < interval * 3 + period {
                socket.send("WATCHDOG=1")
            }
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: period) }
        }
        socket.send("STOPPING=1")
    }
}

#if canImport(Glibc)
import Glibc
#endif
