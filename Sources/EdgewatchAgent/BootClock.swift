#if canImport(Glibc)
import Glibc
#endif

/// CLOCK_BOOTTIME: monotonic across suspend, unaffected by wall-clock steps.
enum BootClock {
    static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_BOOTTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
