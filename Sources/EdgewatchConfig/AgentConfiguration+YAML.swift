/// Reading the YAML config file: every key checked, every error located.
extension AgentConfiguration {
    /// The keys the file may hold, with the form each expects (also used in messages).
    public static let keys: [String: String] = [
        "node.name": "a string",
        "collect.interval": "a duration like 10s, 1m30s or 500ms",
        "collect.collectors": "a list of collector names",
        "collect.procfs": "a directory path",
        "collect.sysfs": "a directory path",
        "collect.rootfs": "a directory path",
        "store.path": "a file path",
        "store.max_bytes": "a size like 256MiB, 1GB or 1048576",
        "store.flush_interval": "a duration like 60s or 1m",
        "listen": "host:port like 127.0.0.1:9909, or \"\" to disable",
        "rules.files": "a list of rule file paths or globs",
        "rules.evaluation_interval": "a duration like 1m or 30s",
        "rules.external_labels": "a mapping of label names to values",
        "alerting.alertmanagers": "a list of Alertmanager URLs like http://127.0.0.1:9093",
        "alerting.resend_interval": "a duration like 1m",
        "uplink.url": "the hub's URL like http://hub.example:9910",
        "uplink.token_file": "a file path",
        "uplink.resolution": "1m or raw",
        "uplink.max_batch_bytes": "a size like 1MiB (at least 16KiB)",
        "uplink.bandwidth": "bytes per second like 64KiB, or 0 for no cap",
        "uplink.node_secret_file": "a file path",
        "uplink.window": "a duration like 1m (at least 1s)",
    ]

    /// Parses `text` (the contents of `file`) over the defaults.
    public static func parse(_ text: String, file: String, knownCollectors: [String]) throws(ConfigError) -> AgentConfiguration {
        var configuration = AgentConfiguration()
        guard let root = try YAMLParser.parse(text, file: file) else { return configuration }
        if case .scalar(let value, _, _, _) = root, value.isEmpty { return configuration }
        guard case .mapping(let pairs, _, _) = root else {
            throw ConfigError(file: file, line: root.line, column: root.column, message: "expected a mapping of settings at the top level, got \(root.kindDescription)")
        }
        var flat: [(String, YAMLNode, YAMLNode)] = []
        try flatten(pairs, prefix: "", file: file, into: &flat)
        for (key, keyNode, value) in flat {
            guard let expected = keys[key] else {
                throw ConfigError(file: file, line: keyNode.line, column: keyNode.column,
                                  message: "unknown key \"\(key)\"; expected one of: \(keys.keys.sorted().joined(separator: ", "))")
            }
            func fail() -> ConfigError {
                ConfigError(file: file, line: value.line, column: value.column, message: "\(key): expected \(expected), got \(value.kindDescription)")
            }
            func scalar() throws(ConfigError) -> String {
                guard case .scalar(let string, _, _, _) = value else { throw fail() }
                return string
            }
            switch key {
            case "node.name": configuration.nodeName = try scalar()
            case "collect.interval":
                guard let milliseconds = ValueParsing.duration(try scalar()), milliseconds >= 100 else { throw fail().with(suffix: " (at least 100ms)") }
                configuration.collectIntervalMilliseconds = milliseconds
            case "collect.collectors":
                guard case .sequence(let items, _, _) = value else { throw fail() }
                var names: [String] = []
                for item in items {
                    guard case .scalar(let name, _, _, _) = item else {
                        throw ConfigError(file: file, line: item.line, column: item.column, message: "collect.collectors: expected a collector name, got \(item.kindDescription)")
                    }
                    guard knownCollectors.contains(name) else {
                        throw ConfigError(file: file, line: item.line, column: item.column,
                                          message: "collect.collectors: unknown collector \"\(name)\"; expected one of: \(knownCollectors.joined(separator: ", "))")
                    }
                    names.append(name)
                }
                configuration.collectors = names
            case "collect.procfs": configuration.procfs = try nonEmpty(scalar(), fail)
            case "collect.sysfs": configuration.sysfs = try nonEmpty(scalar(), fail)
            case "collect.rootfs": configuration.rootfs = try nonEmpty(scalar(), fail)
            case "store.path": configuration.storePath = try nonEmpty(scalar(), fail)
            case "store.max_bytes":
                guard let bytes = ValueParsing.size(try scalar()), bytes >= 256 * 1024 else { throw fail().with(suffix: " (at least 256KiB)") }
                configuration.storeMaxBytes = bytes
            case "store.flush_interval":
                guard let milliseconds = ValueParsing.duration(try scalar()), milliseconds >= 100 else { throw fail().with(suffix: " (at least 100ms)") }
                configuration.storeFlushIntervalMilliseconds = milliseconds
            case "rules.files":
                configuration.ruleFiles = try stringList(value, fail)
            case "rules.evaluation_interval":
                guard let milliseconds = ValueParsing.duration(try scalar()), milliseconds >= 1000 else { throw fail().with(suffix: " (at least 1s)") }
                configuration.ruleEvaluationIntervalMilliseconds = milliseconds
            case "rules.external_labels":
                guard case .mapping(let pairs, _, _) = value else { throw fail() }
                for (labelNode, valueNode) in pairs {
                    guard case .scalar(let name, _, _, _) = labelNode, case .scalar(let text, _, _, _) = valueNode, Self.isLabelName(name) else {
                        throw ConfigError(file: file, line: labelNode.line, column: labelNode.column, message: "rules.external_labels: expected label_name: value, got \(labelNode.kindDescription)")
                    }
                    configuration.externalLabels[name] = text
                }
            case "alerting.alertmanagers":
                let urls = try stringList(value, fail)
                for url in urls where HTTPURL(url) == nil {
                    throw fail().with(suffix: " (\"\(url)\" is not an http:// URL with a host)")
                }
                configuration.alertmanagers = urls
            case "alerting.resend_interval":
                guard let milliseconds = ValueParsing.duration(try scalar()), milliseconds >= 1000 else { throw fail().with(suffix: " (at least 1s)") }
                configuration.alertResendIntervalMilliseconds = milliseconds
            case "uplink.url":
                let url = try scalar()
                guard url.isEmpty || HTTPURL(url) != nil else { throw fail() }
                configuration.uplinkURL = url
            case "uplink.token_file": configuration.uplinkTokenFile = try nonEmpty(scalar(), fail)
            case "uplink.resolution":
                let resolution = try scalar()
                guard resolution == "1m" || resolution == "raw" else { throw fail() }
                configuration.uplinkResolution = resolution
            case "uplink.max_batch_bytes":
                guard let bytes = ValueParsing.size(try scalar()), bytes >= 16 * 1024 else { throw fail() }
                configuration.uplinkMaxBatchBytes = bytes
            case "uplink.bandwidth":
                guard let bytes = ValueParsing.size(try scalar()), bytes >= 0 else { throw fail() }
                configuration.uplinkBandwidth = bytes
            case "uplink.window":
                guard let milliseconds = ValueParsing.duration(try scalar()), milliseconds >= 1000, milliseconds % 1000 == 0 else { throw fail() }
                configuration.uplinkWindowMilliseconds = milliseconds
            case "uplink.node_secret_file": configuration.uplinkNodeSecretFile = try nonEmpty(scalar(), fail)
            case "listen":
                let address = try scalar()
                guard address.isEmpty || ListenAddress(address) != nil else { throw fail() }
                configuration.listen = address
            default:
                throw fail()
            }
        }
        return configuration
    }

    private static func stringList(_ value: YAMLNode, _ fail: () -> ConfigError) throws(ConfigError) -> [String] {
        guard case .sequence(let items, _, _) = value else { throw fail() }
        var result: [String] = []
        for item in items {
            guard case .scalar(let text, _, _, _) = item, !text.isEmpty else { throw fail() }
            result.append(text)
        }
        return result
    }

    static func isLabelName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    private static func nonEmpty(_ value: String, _ fail: () -> ConfigError) throws(ConfigError) -> String {
        guard !value.isEmpty else { throw fail() }
        return value
    }

    private static func flatten(_ pairs: [(key: YAMLNode, value: YAMLNode)], prefix: String, file: String, into flat: inout [(String, YAMLNode, YAMLNode)]) throws(ConfigError) {
        for (keyNode, value) in pairs {
            guard case .scalar(let name, _, _, _) = keyNode, !name.isEmpty else {
                throw ConfigError(file: file, line: keyNode.line, column: keyNode.column, message: "expected a key name, got \(keyNode.kindDescription)")
            }
            let key = prefix.isEmpty ? name : prefix + "." + name
            let isSection = keys.keys.contains { $0.hasPrefix(key + ".") }
            if keys[key] == nil, !isSection {
                throw ConfigError(file: file, line: keyNode.line, column: keyNode.column,
                                  message: "unknown key \"\(key)\"; expected one of: \(keys.keys.sorted().joined(separator: ", "))")
            }
            if isSection {
                guard case .mapping(let children, _, _) = value else {
                    throw ConfigError(file: file, line: value.line, column: value.column,
                                      message: "\(key): expected a mapping of \(key).* settings, got \(value.kindDescription)")
                }
                try flatten(children, prefix: key, file: file, into: &flat)
            } else {
                flat.append((key, keyNode, value))
            }
        }
    }
}

extension ConfigError {
    func with(suffix: String) -> ConfigError {
        var copy = self
        copy.message += suffix
        return copy
    }
}
