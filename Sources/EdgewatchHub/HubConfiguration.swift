import EdgewatchWire

/// The hub's settings and ingest limits.
public struct HubConfiguration: Sendable {
    public var listen: String
    public var dataDirectory: String
    /// A file holding the join token (a mounted Kubernetes Secret, say); empty: `join-token` in the
    /// data directory, created on first start.
    public var tokenFile = ""
    /// A PostgreSQL database shared by the hub's replicas (a `postgres://` URI or libpq keywords;
    /// libpq's environment variables and password file apply); empty: SQLite in the data directory.
    public var postgresURL = ""
    /// Connections each hub process keeps to PostgreSQL.
    public var postgresPoolSize = 8
    /// The server's certificate chain and key (PEM); both empty: plain HTTP. Reloaded on SIGHUP.
    public var tlsCertificateFile = ""
    public var tlsKeyFile = ""
    /// CA (PEM) whose client certificates agents must present; the certificate's CN must be the
    /// node name the agent writes as. Empty: no client certificates.
    public var tlsClientCAFile = ""
    /// How long each tier is kept (raw samples become 1 m summaries, those 1 h summaries).
    public var retention = RetentionPolicy()
    /// Where stored samples are sent onward (Prometheus remote_write 1.0), each with its own queue.
    public var remoteWrite: [RemoteWriteTarget] = []
    /// Accept requests without the join token (must be asked for explicitly).
    public var insecure: Bool
    /// Largest compressed request body (bytes).
    public var maxBodyBytes = 8 << 20
    /// Largest body after inflating (bytes): the zip-bomb guard.
    public var maxDecompressedBytes = 64 << 20
    /// Largest bundle `POST /api/v1/import` accepts (compressed bytes), and what it may inflate to.
    public var maxImportBytes: Int64 = 1 << 30
    public var maxImportInflatedBytes: Int64 = 16 << 30
    /// A connection with no bytes received for this long is closed (slow or stuck clients).
    public var idleTimeoutSeconds: Int64 = 30
    /// Ingest requests handled at once; more are answered 503 with Retry-After.
    public var maxConcurrentIngests = 8
    /// Series, samples and label sizes one batch may carry.
    public var batchLimits = UplinkBatch.Limits()

    public init(listen: String, dataDirectory: String, insecure: Bool) {
        self.listen = listen
        self.dataDirectory = dataDirectory
        self.insecure = insecure
    }
}

/// Why the hub could not start.
public struct HubError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
