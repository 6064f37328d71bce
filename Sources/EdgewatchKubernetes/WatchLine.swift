/// One line of a watch stream: `{"type": ADDED|MODIFIED|DELETED|BOOKMARK|ERROR, "object": …}`.
struct WatchLine: Decodable, Sendable {
    var type: String
    var object: KubernetesObject
}
