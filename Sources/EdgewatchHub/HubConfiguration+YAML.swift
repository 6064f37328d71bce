import EdgewatchConfig

extension HubConfiguration {
    /// The keys a hub config file may hold, with the form each expects.
    public static let keys: [String: String] = [
        "listen": "host:port like 0.0.0.0:9910",
        "data": "a directory path",
        "idle_timeout": "a duration like 30s",
        "limits.max_body_bytes": "a size like 8MiB",
        "limits.max_decompressed_bytes": "a size like 64MiB",
        "limits.max_series_per_batch": "a positive integer",
        "limits.max_samples_per_batch": "a positive integer",
        "limits.max_label_value_length": "a positive integer",
        "limits.max_concurrent_ingests": "a non-negative integer",
    ]

    /// Reads a hub config file over `self`; errors are located as `file:line:column`.
    public func merging(yaml text: String, file: String) throws(ConfigError) -> HubConfiguration {
        var configuration = self
        guard let root = try YAMLParser.parse(text, file: file) else { return configuration }
        if case .scalar(let value, _, _, _) = root, value.isEmpty { return configuration }
        guard case .mapping(let pairs, _, _) = root else {
            throw ConfigError(file: file, line: root.line, column: root.column, message: "expected a mapping of settings, got \(root.kindDescription)")
        }
        var flat: [(String, YAMLNode, YAMLNode)] = []
        for (keyNode, value) in pairs {
            guard case .scalar(let name, _, _, _) = keyNode else { continue }
            if name == "limits", case .mapping(let children, _, _) = value {
                for (childKey, childValue) in children {
                    guard case .scalar(let child, _, _, _) = childKey else { continue }
                    flat.append(("limits." + child, childKey, childValue))
                }
            } else {
                flat.append((name, keyNode, value))
            }
        }
        for (key, keyNode, value) in flat {
            guard let expected = Self.keys[key] else {
                throw ConfigError(file: file, line: keyNode.line, column: keyNode.column,
                                  message: "unknown key \"\(key)\"; expected one of: \(Self.keys.keys.sorted().joined(separator: ", "))")
            }
            func fail() -> ConfigError {
                ConfigError(file: file, line: value.line, column: value.column, message: "\(key): expected \(expected), got \(value.kindDescription)")
            }
            guard case .scalar(let text, _, _, _) = value else { throw fail() }
            func positive(allowZero: Bool = false) throws(ConfigError) -> Int {
                guard let number = Int(text), number > 0 || (allowZero && number == 0) else { throw fail() }
                return number
            }
            func size() throws(ConfigError) -> Int {
                guard let bytes = ValueParsing.size(text), bytes > 0, bytes < Int64(Int32.max) * 16 else { throw fail() }
                return Int(bytes)
            }
            switch key {
            case "listen": configuration.listen = text
            case "data": configuration.dataDirectory = text
            case "idle_timeout":
                guard let milliseconds = ValueParsing.duration(text), milliseconds >= 1000 else { throw fail() }
                configuration.idleTimeoutSeconds = milliseconds / 1000
            case "limits.max_body_bytes": configuration.maxBodyBytes = try size()
            case "limits.max_decompressed_bytes": configuration.maxDecompressedBytes = try size()
            case "limits.max_series_per_batch": configuration.batchLimits.maxSeries = try positive()
            case "limits.max_samples_per_batch": configuration.batchLimits.maxSamples = try positive()
            case "limits.max_label_value_length": configuration.batchLimits.maxLabelValueLength = try positive()
            case "limits.max_concurrent_ingests": configuration.maxConcurrentIngests = try positive(allowZero: true)
            default: throw fail()
            }
        }
        return configuration
    }
}
