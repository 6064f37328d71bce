/// The parts of Kubernetes objects the event source reads, decoded leniently: a core/v1 Event,
/// an events.k8s.io/v1 Event, a Pod, a Status (watch ERROR) or a BOOKMARK's bare metadata all
/// decode as this type, every field optional.
struct KubernetesObject: Decodable, Sendable {
    struct Metadata: Decodable, Sendable {
        var uid: String?
        var name: String?
        var namespace: String?
        var resourceVersion: String?
    }

    struct Reference: Decodable, Sendable {
        var kind: String?
        var namespace: String?
        var name: String?
        var uid: String?
    }

    struct EventSource: Decodable, Sendable {
        var component: String?
        var host: String?
    }

    struct Series: Decodable, Sendable {
        var count: Int64?
        var lastObservedTime: String?
    }

    struct PodSpec: Decodable, Sendable {
        var nodeName: String?
    }

    var metadata: Metadata?
    // core/v1 Event
    var involvedObject: Reference?
    var message: String?
    var count: Int64?
    var firstTimestamp: String?
    var lastTimestamp: String?
    var source: EventSource?
    var reportingComponent: String?
    // events.k8s.io/v1 Event
    var regarding: Reference?
    var note: String?
    var deprecatedCount: Int64?
    var deprecatedFirstTimestamp: String?
    var deprecatedLastTimestamp: String?
    var deprecatedSource: EventSource?
    var reportingController: String?
    // both
    var reason: String?
    var type: String?
    var eventTime: String?
    var series: Series?
    var reportingInstance: String?
    // Pod
    var spec: PodSpec?
    /// A Pod's container statuses; a Status object's string `status` reads as none.
    var status: PodStatusField?
    // Status (a watch ERROR, an HTTP error body)
    var code: Int?
}
