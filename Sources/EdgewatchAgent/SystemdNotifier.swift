import CSystemd
import Logging
import ServiceLifecycle

/// Talks to systemd when started with `NOTIFY_SOCKET` (Type=notify): READY=1 once collection
/// runs, WATCHDOG=1 at half of WatchdogSec while cycles keep completing, STOPPING=1 at shutdown.
public struct SystemdNotifier: Service {
    let latest: LatestSnapshot
    let interval: Duration
    let logger: Logger

    public init(latest: LatestSnapshot, interval: Duration, logger: Logger) {
        self.latest = latest
        self.interval = interval
        self.logger = logger
    }

    /// Whether systemd asked for notifications.
    public static var isEnabled: Bool { getenv("NOTIFY_SOCKET") != nil }

    static func notify(_ state: String) {
        _ = sd_notify(0, state)
    }

    public func run() async throws {
        guard Self.isEnabled else {
            try? await gracefulShutdown()
            return
        }
        var watchdogMicroseconds: UInt64 = 0
        let watchdog = sd_watchdog_enabled(0, &watchdogMicroseconds) > 0
        let clock = ContinuousClock()
        // READY once the first cycle has been collected.
        while latest.lastCycle == nil, !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: .milliseconds(50)) }
        }
        Self.notify("READY=1")
        logger.debug("systemd notified READY=1", metadata: ["watchdog_usec": "\(watchdogMicroseconds)"])
        let period: Duration = watchdog ? .microseconds(Int64(watchdogMicroseconds / 2)) : .seconds(3600)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if watchdog, let last = latest.lastCycle, clock.now - last < interval * 3 + period {
                Self.notify("WATCHDOG=1")
            }
            try? await cancelWhenGracefulShutdown { try await clock.sleep(for: period) }
        }
        Self.notify("STOPPING=1")
    }
}

#if canImport(Glibc)
import Glibc
#endif
