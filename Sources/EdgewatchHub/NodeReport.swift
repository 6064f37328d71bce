/// What an agent says of itself with each batch (`X-Edgewatch-*` headers), for the fleet view.
public struct NodeReport: Sendable, Equatable {
    /// `node.cluster` of the agent; empty: none.
    public var cluster = ""
    /// Windows the agent still owes behind its live edge.
    public var backlogWindows: Int64 = 0
    /// Batches the agent holds as refused for good.
    public var deadLetters: Int64 = 0
    /// Width of one live slot (its raw interval, or a minute for 1 m summaries); 0: not said.
    public var slotMilliseconds: Int64 = 0

    public init(cluster: String = "", backlogWindows: Int64 = 0, deadLetters: Int64 = 0, slotMilliseconds: Int64 = 0) {
        self.cluster = cluster
        self.backlogWindows = backlogWindows
        self.deadLetters = deadLetters
        self.slotMilliseconds = slotMilliseconds
    }

    /// A cluster name: letters, digits, `-`, `.`, `_`, at most 63 bytes (empty allowed).
    public static func isValidCluster(_ name: String) -> Bool {
        name.utf8.count <= 63 && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }
    }
}
