import EdgewatchCore

/// Which events a reader wants: a time range (of the events' own last-seen time) and optional
/// source, reason and type.
public struct EventFilter: Sendable, Equatable {
    public var from: Int64
    public var to: Int64
    public var source: EventRecord.Source?
    public var reason: String?
    public var type: String?

    public init(from: Int64 = .min, to: Int64 = .max, source: EventRecord.Source? = nil, reason: String? = nil, type: String? = nil) {
        self.from = from
        self.to = to
        self.source = source
        self.reason = reason
        self.type = type
    }
}
