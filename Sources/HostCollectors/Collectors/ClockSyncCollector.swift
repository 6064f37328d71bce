import EdgewatchCore

/// Clock trust on boards without a battery-backed RTC: they boot with a wrong wall clock until
/// NTP synchronises it, so samples taken before then carry wrong timestamps.
public struct ClockSyncCollector: Collector {
    public let name = "clocksync"
    public init() {}

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        guard let clock = context.kernel.clockState() else { throw .failed("adjtimex(2) failed") }
        metrics.add(
            "edgewatch_clock_synchronized",
            "1 if the kernel reports the wall clock synchronised (adjtimex: not TIME_ERROR, no STA_UNSYNC).",
            .gauge,
            clock.isSynchronized ? 1 : 0
        )
        let rtcs = context.sys.tree.entries("class/rtc", prefix: "rtc")
        metrics.add(
            "edgewatch_clock_rtc_present",
            "1 if a real-time clock device exists (/sys/class/rtc/rtcN); without one the clock is wrong at boot until NTP syncs.",
            .gauge,
            rtcs.isEmpty ? 0 : 1
        )
    }
}
