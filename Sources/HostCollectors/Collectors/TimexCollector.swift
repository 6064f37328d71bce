import EdgewatchCore
import HostFS

/// node_exporter's `timex`: the kernel clock discipline from adjtimex(2).
public struct TimexCollector: Collector {
    public let name = "timex"
    public init() {}

    /// ppm with a 16-bit binary fraction, as adjtimex reports frequencies.
    static let ppm16frac = 1_000_000.0 * 65536.0

    public func collect(into metrics: inout MetricSet, context: CollectionContext, issues: inout [ParseIssue]) throws(CollectorError) {
        guard let clock = context.kernel.clockState() else { throw .failed("adjtimex(2) failed") }
        let divisor = (clock.status & KernelClockState.statusNano) != 0 ? 1e9 : 1e6
        let values: [(String, String, MetricType, Double)] = [
            (
                "node_timex_sync_status", "Is clock synchronized to a reliable server (1 = yes, 0 = no).", .gauge,
                clock.state == KernelClockState.timeError ? 0 : 1
            ),
            ("node_timex_offset_seconds", "Time offset in between local system and reference clock.", .gauge, Double(clock.offset) / divisor),
            ("node_timex_frequency_adjustment_ratio", "Local clock frequency adjustment.", .gauge, 1 + Double(clock.frequency) / Self.ppm16frac),
            ("node_timex_maxerror_seconds", "Maximum error in seconds.", .gauge, Double(clock.maxError) / 1e6),
            ("node_timex_estimated_error_seconds", "Estimated error in seconds.", .gauge, Double(clock.estimatedError) / 1e6),
            ("node_timex_status", "Value of the status array bits.", .gauge, Double(clock.status)),
            ("node_timex_loop_time_constant", "Phase-locked loop time constant.", .gauge, Double(clock.constant)),
            ("node_timex_tick_seconds", "Seconds between clock ticks.", .gauge, Double(clock.tick) / 1e6),
            ("node_timex_pps_frequency_hertz", "Pulse per second frequency.", .gauge, Double(clock.ppsFrequency) / Self.ppm16frac),
            ("node_timex_pps_jitter_seconds", "Pulse per second jitter.", .gauge, Double(clock.jitter) / divisor),
            ("node_timex_pps_shift_seconds", "Pulse per second interval duration.", .gauge, Double(clock.shift)),
            (
                "node_timex_pps_stability_hertz", "Pulse per second stability, average of recent frequency changes.", .gauge,
                Double(clock.stability) / Self.ppm16frac
            ),
            ("node_timex_pps_jitter_total", "Pulse per second count of jitter limit exceeded events.", .counter, Double(clock.jitterCount)),
            ("node_timex_pps_calibration_total", "Pulse per second count of calibration intervals.", .counter, Double(clock.calibrationCount)),
            ("node_timex_pps_error_total", "Pulse per second count of calibration errors.", .counter, Double(clock.errorCount)),
            (
                "node_timex_pps_stability_exceeded_total", "Pulse per second count of stability limit exceeded events.", .counter,
                Double(clock.stabilityExceededCount)
            ),
            ("node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset.", .gauge, Double(clock.taiOffset)),
        ]
        for (name, help, type, value) in values {
            metrics.add(name, help, type, value)
        }
    }
}
