import Testing

@testable import EdgewatchAgent

@Suite struct SystemdNotifySocketTests {
    @Test func socketAddressFromTheEnvironment() {
        #expect(SystemdNotifySocket(environment: [:]) == nil)
        #expect(SystemdNotifySocket(environment: ["NOTIFY_SOCKET": "relative/path"]) == nil)
        #expect(SystemdNotifySocket(environment: ["NOTIFY_SOCKET": "/run/systemd/notify"])?.address == "/run/systemd/notify")
        #expect(SystemdNotifySocket(environment: ["NOTIFY_SOCKET": "@/org/freedesktop/systemd1/notify/1"]) != nil)
        #expect(SystemdNotifySocket(environment: ["NOTIFY_SOCKET": "/" + String(repeating: "x", count: 200)]) == nil)
    }

    @Test func watchdogOnlyForThisProcess() {
        #expect(SystemdNotifySocket.watchdogMicroseconds(environment: ["WATCHDOG_USEC": "20000000"], pid: 42) == 20_000_000)
        #expect(SystemdNotifySocket.watchdogMicroseconds(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "42"], pid: 42) == 20_000_000)
        #expect(SystemdNotifySocket.watchdogMicroseconds(environment: ["WATCHDOG_USEC": "20000000", "WATCHDOG_PID": "7"], pid: 42) == nil)
        #expect(SystemdNotifySocket.watchdogMicroseconds(environment: ["WATCHDOG_USEC": "0"], pid: 42) == nil)
        #expect(SystemdNotifySocket.watchdogMicroseconds(environment: [:], pid: 42) == nil)
    }
}
