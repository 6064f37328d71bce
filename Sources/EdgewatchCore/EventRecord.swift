/// One occurrence of an event: a Kubernetes Event whose count rose, or something the agent saw on
/// the node itself (an OOM kill, a reboot, a clock step). Occurrences are append-only; `(uid,
/// count)` identifies one, so a replayed watch or a resent batch adds nothing twice.
public struct EventRecord: Sendable, Equatable {
    /// Where an event came from.
    public enum Source: String, Sendable, CaseIterable {
        case kubernetes
        case node
    }

    /// The object an event is about (`namespace` is empty for cluster-scoped kinds like Node).
    public struct InvolvedObject: Sendable, Hashable {
        public var kind: String
        public var namespace: String
        public var name: String

        public init(kind: String, namespace: String = "", name: String) {
            self.kind = kind
            self.namespace = namespace
            self.name = name
        }
    }

    /// Last seen, ms since the epoch: the event's own time, not when the agent saw it.
    public var time: Int64
    /// First seen, ms since the epoch.
    public var firstSeen: Int64
    public var source: Source
    /// `Normal` or `Warning`, as Kubernetes spells them.
    public var type: String
    public var reason: String
    public var object: InvolvedObject
    public var message: String
    /// The event's count after this occurrence.
    public var count: Int64
    /// How much the count rose with this occurrence (what `edgewatch_events_total` adds).
    public var delta: Int64
    /// The Event's uid, or a stable key for node-local events.
    public var uid: String
    /// The node whose agent recorded it.
    public var node: String
    /// When the agent stored it (its wall clock, ms): what places it in an uplink window.
    public var recorded: Int64

    public init(
        time: Int64,
        firstSeen: Int64? = nil,
        source: Source,
        type: String,
        reason: String,
        object: InvolvedObject,
        message: String,
        count: Int64 = 1,
        delta: Int64 = 1,
        uid: String,
        node: String = "",
        recorded: Int64 = 0
    ) {
        self.time = time
        self.firstSeen = firstSeen ?? time
        self.source = source
        self.type = type
        self.reason = reason
        self.object = object
        self.message = message
        self.count = count
        self.delta = delta
        self.uid = uid
        self.node = node
        self.recorded = recorded
    }

    /// Longest message kept; longer ones are cut (with an ellipsis) so one chatty controller
    /// cannot fill the store.
    public static let maxMessageBytes = 1024

    /// `message` cut to ``maxMessageBytes`` on a character boundary.
    public static func capped(_ message: String) -> String {
        guard message.utf8.count > maxMessageBytes else { return message }
        var result = ""
        var bytes = 0
        for character in message {
            let size = character.utf8.count
            if bytes + size > maxMessageBytes - 3 { break }
            result.append(character)
            bytes += size
        }
        return result + "…"
    }
}
