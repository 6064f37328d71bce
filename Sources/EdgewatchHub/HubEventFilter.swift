/// What `GET /api/v1/events` selects: a node, reason and type (each optional) and a range of the
/// events' last-seen time.
public struct HubEventFilter: Sendable, Equatable {
    public var node: String?
    public var reason: String?
    public var type: String?
    public var since: Int64
    public var until: Int64

    public init(node: String? = nil, reason: String? = nil, type: String? = nil, since: Int64 = .min, until: Int64 = .max) {
        self.node = node
        self.reason = reason
        self.type = type
        self.since = since
        self.until = until
    }
}
