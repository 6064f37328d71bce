/// How the Kubernetes event source runs.
public struct KubernetesSourceSettings: Sendable {
    /// Which Events API to watch.
    public enum API: String, Sendable, CaseIterable {
        case core = "v1"
        case events = "events.k8s.io/v1"

        var path: String { self == .core ? "/api/v1/events" : "/apis/events.k8s.io/v1/events" }
    }

    public var credentials: KubernetesCredentials
    public var node: String
    public var scope: EventScope
    public var api: API
    /// The server ends each watch after this long (`timeoutSeconds`); the source opens the next.
    public var watchTimeoutSeconds = 300
    /// Items per list page (`limit`).
    public var pageSize = 500
    /// A stream silent this long is treated as hung (bookmarks arrive about every minute).
    public var readTimeout: Duration = .seconds(120)
    /// The least wait after a 401 or 403 (credentials do not fix themselves quickly).
    public var refusedRetry: Duration = .seconds(60)

    public init(credentials: KubernetesCredentials, node: String, scope: EventScope, api: API) {
        self.credentials = credentials
        self.node = node
        self.scope = scope
        self.api = api
    }
}
