import FoundationEssentials

/// One line of a watch stream: `{"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, "object": …}`.
struct WatchLine: Decodable, Sendable {
    var type: String
    var object: KubernetesObject

    /// The line decoded; nil for one that is not a watch event (counted as malformed by callers).
    static func parse(_ bytes: ArraySlice<UInt8>) -> WatchLine? {
        try? JSONDecoder().decode(WatchLine.self, from: Data(bytes))
    }

    /// What an ERROR line means: a 410 (relist) or another apiserver status; nil for other types.
    var failure: KubernetesError? {
        guard type == "ERROR" else { return nil }
        let message = object.message ?? "watch error"
        return object.code == 410 ? .expired(message) : .status(object.code ?? 500, message)
    }
}
