import EdgewatchCore

/// Where an alert is in its life: pending until `for` has passed, then firing, then inactive (resolved).
public enum AlertState: String, Sendable, Codable {
    case inactive, pending, firing
}

/// One alert instance of an alerting rule (one label set).
public struct Alert: Sendable, Equatable {
    public var labels: Labels
    public var annotations: [String: String]
    public var state: AlertState
    public var value: Double
    /// Milliseconds since the epoch.
    public var activeAt: Int64
    public var firedAt: Int64?
    public var resolvedAt: Int64?
    public var keepFiringSince: Int64?

    public init(labels: Labels, annotations: [String: String], state: AlertState, value: Double, activeAt: Int64) {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
    }
}
