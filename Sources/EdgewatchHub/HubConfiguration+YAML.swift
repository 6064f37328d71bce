import EdgewatchYAML

extension HubConfiguration {
    /// The keys a hub config file may hold, with the form each expects.
    public static let keys: [String: String] = [
        "listen": "host:port like 0.0.0.0:9910",
        "data": "a directory path",
        "token_file": "a file path holding the join token (at least 16 characters)",
        "idle_timeout": "a duration like 30s",
        "tls.cert_file": "a PEM certificate (chain) file path",
        "tls.key_file": "a PEM private key file path",
        "tls.client_ca_file": "a PEM CA file path",
        "storage.postgres.url": "a PostgreSQL URL like postgres://edgewatch@db:5432/edgewatch",
        "storage.postgres.pool_size": "a positive integer",
        "retention.raw": "a duration like 15d (0 keeps raw samples for ever)",
        "retention.1m": "a duration like 90d (0 keeps 1 m summaries for ever)",
        "retention.1h": "a duration like 1095d (0 keeps 1 h summaries for ever)",
        "remote_write": "a list of targets (url, and optionally name, headers, basic_auth, tls, queue, rollups, remote_timeout)",
        "limits.max_body_bytes": "a size like 8MiB",
        "limits.max_decompressed_bytes": "a size like 64MiB",
        "limits.max_import_bytes": "a size like 1GiB",
        "limits.max_import_inflated_bytes": "a size like 16GiB",
        "limits.max_series_per_batch": "a positive integer",
        "limits.max_samples_per_batch": "a positive integer",
        "limits.max_label_value_length": "a positive integer",
        "limits.max_concurrent_ingests": "a non-negative integer",
    ]

    /// Reads a hub config file over `self`; errors are located as `file:line:column`.
    public func merging(yaml text: String, file: String) throws(ConfigError) -> HubConfiguration {
        var configuration = self
        for setting in try YAMLSettings.read(text, file: file, keys: Self.keys) {
            try configuration.apply(setting)
        }
        return configuration
    }

    /// A retention: 0, or at least 10 minutes (the span retention handles at a time).
    private static func retention(_ setting: YAMLSetting) throws(ConfigError) -> Int64 {
        if try setting.scalar() == "0" { return 0 }
        return try setting.duration(atLeast: 600_000, note: "(0, or at least 10m)")
    }

    private mutating func apply(_ setting: YAMLSetting) throws(ConfigError) {
        func size() throws(ConfigError) -> Int {
            let bytes = try setting.size(atLeast: 1)
            guard bytes < Int64(Int32.max) * 16 else { throw setting.failure() }
            return Int(bytes)
        }
        switch setting.key {
        case "listen": listen = try setting.scalar()
        case "data": dataDirectory = try setting.scalar()
        case "token_file": tokenFile = try setting.nonEmpty()
        case "storage.postgres.url": postgresURL = try setting.nonEmpty()
        case "storage.postgres.pool_size": postgresPoolSize = try setting.integer(atLeast: 1)
        case "tls.cert_file": tlsCertificateFile = try setting.nonEmpty()
        case "tls.key_file": tlsKeyFile = try setting.nonEmpty()
        case "tls.client_ca_file": tlsClientCAFile = try setting.nonEmpty()
        case "retention.raw": retention.raw = try Self.retention(setting)
        case "retention.1m": retention.minute = try Self.retention(setting)
        case "retention.1h": retention.hour = try Self.retention(setting)
        case "remote_write": remoteWrite = try Self.remoteWriteTargets(setting)
        case "idle_timeout": idleTimeoutSeconds = try setting.duration(atLeast: 1000) / 1000
        case "limits.max_body_bytes": maxBodyBytes = try size()
        case "limits.max_decompressed_bytes": maxDecompressedBytes = try size()
        case "limits.max_import_bytes": maxImportBytes = try setting.size(atLeast: 1)
        case "limits.max_import_inflated_bytes": maxImportInflatedBytes = try setting.size(atLeast: 1)
        case "limits.max_series_per_batch": batchLimits.maxSeries = try setting.integer(atLeast: 1)
        case "limits.max_samples_per_batch": batchLimits.maxSamples = try setting.integer(atLeast: 1)
        case "limits.max_label_value_length": batchLimits.maxLabelValueLength = try setting.integer(atLeast: 1)
        case "limits.max_concurrent_ingests": maxConcurrentIngests = try setting.integer(atLeast: 0)
        default: throw setting.failure()
        }
    }
}
