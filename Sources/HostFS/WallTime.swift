/// A wall-clock reading with the local time zone.
public struct WallTime: Sendable, Hashable {
    /// Seconds since the Unix epoch.
    public var seconds: Double
    /// The local zone's abbreviation (e.g. `UTC`, `CET`).
    public var zoneName: String
    /// The local zone's offset from UTC in seconds.
    public var zoneOffsetSeconds: Int

    public init(seconds: Double, zoneName: String, zoneOffsetSeconds: Int) {
        self.seconds = seconds
        self.zoneName = zoneName
        self.zoneOffsetSeconds = zoneOffsetSeconds
    }

    /// Milliseconds since the Unix epoch.
    public var milliseconds: Int64 { Int64((seconds * 1000).rounded(.down)) }
}
