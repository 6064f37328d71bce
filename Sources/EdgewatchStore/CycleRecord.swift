/// What the agent records about each collection cycle, for gap and clock accounting.
public struct CycleRecord: Sendable, Equatable {
    /// Wall-clock time of the cycle (ms since the epoch), as the samples carry it.
    public var timestamp: Int64
    /// The kernel's boot id.
    public var bootID: String
    /// CLOCK_BOOTTIME in nanoseconds: steady within a boot, unaffected by wall-clock steps.
    public var monotonicNanoseconds: Int64
    /// Whether the kernel reported the wall clock synchronised.
    public var synchronized: Bool
    /// How long the cycle took, in microseconds.
    public var durationMicroseconds: Int64

    public init(timestamp: Int64, bootID: String, monotonicNanoseconds: Int64, synchronized: Bool, durationMicroseconds: Int64 = 0) {
        self.timestamp = timestamp
        self.bootID = bootID
        self.monotonicNanoseconds = monotonicNanoseconds
        self.synchronized = synchronized
        self.durationMicroseconds = durationMicroseconds
    }
}
