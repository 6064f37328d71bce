import Foundation

/// What the fake apiserver holds: events and pods with resourceVersions, their change history
/// (what a watch replays), the compaction point (older watches get 410), and faults queued for
/// the next requests.
struct FakeAPIState: Sendable {
    struct Change: Sendable {
        var revision: Int
        var type: String
        var event: FakeEvent?
        var pod: FakePod?
    }

    var revision = 1000
    var events: [String: FakeEvent] = [:]
    var pods: [String: FakePod] = [:]
    var history: [Change] = []
    var compactedBelow = 0
    var faults: [FakeFault] = []
    var requests: [String] = []

    mutating func next() -> Int {
        revision += 1
        return revision
    }

    mutating func record(_ type: String, event: FakeEvent) {
        history.append(Change(revision: event.resourceVersion, type: type, event: event, pod: nil))
    }

    /// The first queued fault that applies to `kind` of request, removed from the queue.
    mutating func takeFault(watch: Bool, path: String) -> FakeFault? {
        guard let index = faults.firstIndex(where: { $0.applies(watch: watch, path: path) }) else { return nil }
        return faults.remove(at: index)
    }
}

/// A pod bound to a node.
public struct FakePod: Sendable {
    public var uid: String
    public var namespace: String
    public var name: String
    public var nodeName: String
    /// Running containers: name and runtime id (reported as `containerd://<id>`).
    public var containers: [(name: String, id: String)]
    var resourceVersion = 0

    public init(
        uid: String = UUID().uuidString.lowercased(),
        namespace: String = "default",
        name: String,
        nodeName: String,
        containers: [(name: String, id: String)] = []
    ) {
        self.uid = uid
        self.namespace = namespace
        self.name = name
        self.nodeName = nodeName
        self.containers = containers
    }

    var json: [String: Any] {
        [
            "metadata": ["uid": uid, "name": name, "namespace": namespace, "resourceVersion": String(resourceVersion)],
            "spec": ["nodeName": nodeName, "containers": [["name": "app", "image": "nginx:1.27"]]],
            "status": [
                "phase": "Running",
                "containerStatuses": containers.map { ["name": $0.name, "containerID": "containerd://" + $0.id, "ready": true, "restartCount": 0] },
            ],
        ]
    }
}

/// A misbehaviour for the next matching request.
public enum FakeFault: Sendable {
    /// The next list or watch of events is answered with this HTTP status (401, 403, 410, 500).
    case status(Int, watch: Bool)
    /// The next event watch sends `lines` lines, then an ERROR object with code 410.
    case expireMidStream(afterLines: Int)
    /// The next event watch sends `lines` lines, then half a line, then closes.
    case cutMidLine(afterLines: Int)
    /// The next event watch sends its head and then nothing, keeping the connection open.
    case hang
    /// The next event watch sends a malformed line and one over 1 MiB first.
    case garbage

    func applies(watch: Bool, path: String) -> Bool {
        guard path.contains("/events") else { return false }
        switch self {
        case .status(_, let forWatch): return forWatch == watch
        default: return watch
        }
    }
}
