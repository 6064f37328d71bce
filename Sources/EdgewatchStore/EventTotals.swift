import EdgewatchCore

/// Event counts since the writer opened, by source, type and reason: what the agent exposes and
/// stores as `edgewatch_events_total` (each occurrence adds its count increase).
public struct EventTotals: Sendable, Equatable {
    public struct Key: Sendable, Hashable, Comparable {
        public var source: EventRecord.Source
        public var type: String
        public var reason: String

        public init(source: EventRecord.Source, type: String, reason: String) {
            self.source = source
            self.type = type
            self.reason = reason
        }

        public static func < (left: Key, right: Key) -> Bool {
            (left.source.rawValue, left.type, left.reason) < (right.source.rawValue, right.type, right.reason)
        }
    }

    public private(set) var counts: [Key: Int64] = [:]

    /// Node-local reasons start at zero, so a rule's `increase()` sees their first occurrence.
    public init(zeroFor keys: [Key] = []) {
        for key in keys { counts[key] = 0 }
    }

    mutating func add(_ event: EventRecord) {
        counts[Key(source: event.source, type: event.type, reason: event.reason), default: 0] += event.delta
    }

    /// The series as samples of `edgewatch_events_total`, sorted by their labels.
    public var samples: [(labels: Labels, value: Double)] {
        counts.keys.sorted().map { key in
            (Labels([Label("reason", key.reason), Label("source", key.source.rawValue), Label("type", key.type)]), Double(counts[key] ?? 0))
        }
    }
}
