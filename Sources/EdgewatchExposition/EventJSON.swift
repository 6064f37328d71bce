import EdgewatchCore

/// An event as `edgewatch events --format json` and the hub's `/api/v1/events` print it: exactly
/// the keys `time`, `first_seen`, `source`, `type`, `reason`, `object`, `message`, `count`, `uid`
/// and `node`, times in RFC 3339. Export bundles add `delta` (the occurrence's increase of
/// `count`) and `recorded` (when the agent stored it), which an import needs.
public struct EventJSON: Codable, Sendable, Equatable {
    public struct Object: Codable, Sendable, Equatable {
        public var kind: String
        public var namespace: String
        public var name: String
    }

    public var time: String
    public var firstSeen: String
    public var source: String
    public var type: String
    public var reason: String
    public var object: Object
    public var message: String
    public var count: Int64
    public var uid: String
    public var node: String
    public var delta: Int64?
    public var recorded: String?

    enum CodingKeys: String, CodingKey {
        case time, source, type, reason, object, message, count, uid, node, delta, recorded
        case firstSeen = "first_seen"
    }

    public init(_ event: EventRecord) {
        time = RFC3339.format(milliseconds: event.time)
        firstSeen = RFC3339.format(milliseconds: event.firstSeen)
        source = event.source.rawValue
        type = event.type
        reason = event.reason
        object = Object(kind: event.object.kind, namespace: event.object.namespace, name: event.object.name)
        message = event.message
        count = event.count
        uid = event.uid
        node = event.node
    }

    /// The record this line describes; nil when a time or the source does not parse.
    public func record() -> EventRecord? {
        guard let time = RFC3339.milliseconds(time), let firstSeen = RFC3339.milliseconds(firstSeen),
            let source = EventRecord.Source(rawValue: source)
        else { return nil }
        return EventRecord(
            time: time,
            firstSeen: firstSeen,
            source: source,
            type: type,
            reason: reason,
            object: EventRecord.InvolvedObject(kind: object.kind, namespace: object.namespace, name: object.name),
            message: EventRecord.capped(message),
            count: count,
            delta: delta ?? 1,
            uid: uid,
            node: node,
            recorded: recorded.flatMap(RFC3339.milliseconds) ?? time
        )
    }
}
