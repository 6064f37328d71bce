/// The kernel's clock discipline as reported by adjtimex(2).
public struct KernelClockState: Sendable, Hashable {
    /// adjtimex's return value: TIME_OK (0) … TIME_ERROR (5).
    public var state: Int32
    public var status: Int32
    /// Offset in microseconds, or nanoseconds when `status` has STA_NANO.
    public var offset: Int64
    /// Frequency offset in ppm with a 16-bit fraction.
    public var frequency: Int64
    public var maxError: Int64
    public var estimatedError: Int64
    public var constant: Int64
    /// Precision in microseconds.
    public var precision: Int64
    public var tolerance: Int64
    /// Microseconds between clock ticks.
    public var tick: Int64
    public var ppsFrequency: Int64
    public var jitter: Int64
    public var shift: Int32
    public var stability: Int64
    public var jitterCount: Int64
    public var calibrationCount: Int64
    public var errorCount: Int64
    public var stabilityExceededCount: Int64
    public var taiOffset: Int32

    /// STA_NANO: offsets are in nanoseconds.
    public static let statusNano: Int32 = 0x2000
    /// STA_UNSYNC: the clock is not synchronised.
    public static let statusUnsync: Int32 = 0x0040
    /// TIME_ERROR: the clock is not synchronised.
    public static let timeError: Int32 = 5

    public init(
        state: Int32 = 0,
        status: Int32 = 0,
        offset: Int64 = 0,
        frequency: Int64 = 0,
        maxError: Int64 = 0,
        estimatedError: Int64 = 0,
        constant: Int64 = 0,
        precision: Int64 = 0,
        tolerance: Int64 = 0,
        tick: Int64 = 10000,
        ppsFrequency: Int64 = 0,
        jitter: Int64 = 0,
        shift: Int32 = 0,
        stability: Int64 = 0,
        jitterCount: Int64 = 0,
        calibrationCount: Int64 = 0,
        errorCount: Int64 = 0,
        stabilityExceededCount: Int64 = 0,
        taiOffset: Int32 = 0
    ) {
        self.state = state
        self.status = status
        self.offset = offset
        self.frequency = frequency
        self.maxError = maxError
        self.estimatedError = estimatedError
        self.constant = constant
        self.precision = precision
        self.tolerance = tolerance
        self.tick = tick
        self.ppsFrequency = ppsFrequency
        self.jitter = jitter
        self.shift = shift
        self.stability = stability
        self.jitterCount = jitterCount
        self.calibrationCount = calibrationCount
        self.errorCount = errorCount
        self.stabilityExceededCount = stabilityExceededCount
        self.taiOffset = taiOffset
    }

    /// Whether the kernel considers the clock synchronised (NTP has disciplined it).
    public var isSynchronized: Bool {
        state != Self.timeError && (status & Self.statusUnsync) == 0
    }
}
