/// A node-local event kept beside the metrics (clock jumps now; OOM kills, reboots and more later).
public struct StoreEvent: Sendable, Equatable {
    public var timestamp: Int64
    public var kind: String
    public var detail: String

    public init(timestamp: Int64, kind: String, detail: String) {
        self.timestamp = timestamp
        self.kind = kind
        self.detail = detail
    }
}
