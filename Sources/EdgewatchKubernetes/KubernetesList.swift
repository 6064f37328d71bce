/// A list answer: its items and where the list stands (`resourceVersion`, `continue`).
struct KubernetesList: Decodable, Sendable {
    struct Metadata: Decodable, Sendable {
        var resourceVersion: String?
        var `continue`: String?
    }

    var metadata: Metadata?
    var items: [KubernetesObject]?
}
