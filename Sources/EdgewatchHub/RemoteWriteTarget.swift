import EdgewatchCore

/// One `remote_write` target of the hub: where stored samples go onward, and how.
public struct RemoteWriteTarget: Sendable, Equatable {
    /// How rollup tiers (1 m and 1 h summaries) are sent.
    public enum Rollups: String, Sendable, CaseIterable {
        /// As the series itself, with the bucket's last value (what the hub's query API answers).
        case last
        /// As `<name>_min`, `<name>_max` and `<name>_avg` series.
        case summary
    }

    /// Unique among the targets; keys its queue in the database. Defaults to the URL.
    public var name: String
    public var url: HTTPURL
    /// Extra request headers (a tenant id, a bearer token), in the order written.
    public var headers: [(name: String, value: String)] = []
    /// HTTP basic authentication (`user:password`), nil for none.
    public var basicAuth: (username: String, password: String)?
    /// CA (PEM) the target's certificate must chain to; empty: the system's roots.
    public var caFile = ""
    /// A client certificate and key (PEM) for targets that want one.
    public var certificateFile = ""
    public var keyFile = ""
    /// One request's time limit (milliseconds).
    public var timeoutMilliseconds: Int64 = 30_000
    /// Samples per request, at most.
    public var maxSamplesPerSend = 2_000
    /// Backoff between retries of a failed request (milliseconds).
    public var minBackoffMilliseconds: Int64 = 100
    public var maxBackoffMilliseconds: Int64 = 5_000
    public var rollups = Rollups.last

    public init(name: String, url: HTTPURL) {
        self.name = name
        self.url = url
    }

    public static func == (lhs: RemoteWriteTarget, rhs: RemoteWriteTarget) -> Bool {
        lhs.name == rhs.name && lhs.url == rhs.url && lhs.headers.map { [$0.name, $0.value] } == rhs.headers.map { [$0.name, $0.value] }
            && lhs.basicAuth?.username == rhs.basicAuth?.username && lhs.basicAuth?.password == rhs.basicAuth?.password
            && lhs.caFile == rhs.caFile && lhs.certificateFile == rhs.certificateFile && lhs.keyFile == rhs.keyFile
            && lhs.timeoutMilliseconds == rhs.timeoutMilliseconds && lhs.maxSamplesPerSend == rhs.maxSamplesPerSend
            && lhs.minBackoffMilliseconds == rhs.minBackoffMilliseconds && lhs.maxBackoffMilliseconds == rhs.maxBackoffMilliseconds
            && lhs.rollups == rhs.rollups
    }
}
