/// One journal entry as edgewatch keeps and exports it: when (wall clock and the boot's monotonic
/// clock, in microseconds, as journald records them), which boot, how severe (syslog priority
/// 0 emerg … 7 debug), from which unit, the message, and journald's cursor (its identity).
public struct LogRecord: Sendable, Equatable {
    public var realtimeMicroseconds: Int64
    public var monotonicMicroseconds: Int64
    public var bootID: String
    public var priority: Int
    /// The systemd unit (`k3s.service`), or `kernel` for kernel messages.
    public var unit: String
    public var message: String
    public var cursor: String

    /// Longest message kept (longer ones are cut).
    public static let maxMessageBytes = 4096

    public init(
        realtimeMicroseconds: Int64,
        monotonicMicroseconds: Int64,
        bootID: String,
        priority: Int,
        unit: String,
        message: String,
        cursor: String
    ) {
        self.realtimeMicroseconds = realtimeMicroseconds
        self.monotonicMicroseconds = monotonicMicroseconds
        self.bootID = bootID
        self.priority = priority
        self.unit = unit
        self.message = message
        self.cursor = cursor
    }

    /// Wall-clock time in milliseconds.
    public var milliseconds: Int64 { realtimeMicroseconds / 1000 }
}
