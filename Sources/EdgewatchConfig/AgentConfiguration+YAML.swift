import EdgewatchCore
import EdgewatchYAML

/// Reading the YAML config file: every key checked, every error located.
extension AgentConfiguration {
    /// The keys the file may hold, with the form each expects (also used in messages).
    public static let keys: [String: String] = [
        "node.name": "a string",
        "node.cluster": "a cluster name like shop-17 (letters, digits, - . _; at most 63)",
        "collect.interval": "a duration like 10s, 1m30s or 500ms",
        "collect.collectors": "a list of collector names",
        "collect.procfs": "a directory path",
        "collect.sysfs": "a directory path",
        "collect.rootfs": "a directory path",
        "store.path": "a file path",
        "store.max_bytes": "a size like 256MiB, 1GB or 1048576",
        "store.flush_interval": "a duration like 60s or 1m",
        "listen": "host:port like 127.0.0.1:9909, or \"\" to disable",
        "rules.builtin": "a list of built-in rule sets: edge, node-mixin",
        "rules.files": "a list of rule file paths or globs",
        "rules.evaluation_interval": "a duration like 1m or 30s",
        "rules.external_labels": "a mapping of label names to values",
        "alerting.alertmanagers": "a list of Alertmanager URLs like http://127.0.0.1:9093",
        "alerting.resend_interval": "a duration like 1m",
        "uplink.url": "the hub's URL like https://hub.example:9910",
        "uplink.ca_file": "a PEM CA file path",
        "uplink.client_cert_file": "a PEM certificate file path",
        "uplink.client_key_file": "a PEM private key file path",
        "uplink.token_file": "a file path",
        "uplink.resolution": "1m or raw",
        "uplink.max_batch_bytes": "a size like 1MiB (at least 16KiB)",
        "uplink.bandwidth": "bytes per second like 64KiB, or 0 for no cap",
        "uplink.node_secret_file": "a file path",
        "uplink.window": "a duration like 1m (at least 1s)",
        "uplink.clock_sync_wait": "a duration like 30m, or 0s to send unsynchronised data at once",
        "events.kubernetes.enabled": "auto, true or false",
        "events.kubernetes.kubeconfig": "a kubeconfig file path",
        "events.kubernetes.scope": "node or cluster",
        "events.kubernetes.api": "v1 or events.k8s.io/v1",
        "events.node.kmsg": "the kernel log device like /dev/kmsg, or \"\" to not read it",
        "logs.enabled": "auto, true or false",
        "logs.units": "a list of systemd units (k3s, containerd.service) or kernel",
        "logs.journal_dir": "a journal directory path",
        "logs.capture_priority": "a syslog priority: emerg, alert, crit, err, warning, notice, info, debug (or 0-7)",
        "logs.max_bytes": "a size like 4MiB",
    ]

    /// Parses `text` (the contents of `file`) over the defaults; `knownRuleSets` (nil: any) are the
    /// names `rules.builtin` may hold.
    public static func parse(
        _ text: String,
        file: String,
        knownCollectors: [String],
        knownRuleSets: [String]? = nil
    ) throws(ConfigError) -> AgentConfiguration {
        var configuration = AgentConfiguration()
        for setting in try YAMLSettings.read(text, file: file, keys: keys) {
            try configuration.apply(setting, knownCollectors: knownCollectors, knownRuleSets: knownRuleSets)
        }
        return configuration
    }

    private mutating func apply(_ setting: YAMLSetting, knownCollectors: [String], knownRuleSets: [String]?) throws(ConfigError) {
        switch setting.key {
        case "node.name": nodeName = try setting.scalar()
        case "node.cluster":
            let cluster = try setting.scalar()
            guard cluster.utf8.count <= 63, cluster.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._".contains($0)) }) else {
                throw setting.failure()
            }
            clusterName = cluster
        case "collect.interval": collectIntervalMilliseconds = try setting.duration(atLeast: 100, note: "(at least 100ms)")
        case "collect.collectors": collectors = try Self.collectorNames(setting, known: knownCollectors)
        case "collect.procfs": procfs = try setting.nonEmpty()
        case "collect.sysfs": sysfs = try setting.nonEmpty()
        case "collect.rootfs": rootfs = try setting.nonEmpty()
        case "store.path": storePath = try setting.nonEmpty()
        case "store.max_bytes": storeMaxBytes = try setting.size(atLeast: 256 * 1024, note: "(at least 256KiB)")
        case "store.flush_interval": storeFlushIntervalMilliseconds = try setting.duration(atLeast: 100, note: "(at least 100ms)")
        case "rules.builtin":
            let names = try setting.strings()
            for name in names where !(knownRuleSets?.contains(name) ?? true) {
                let known = (knownRuleSets ?? []).joined(separator: ", ")
                throw ConfigError(
                    at: setting.value,
                    file: setting.file,
                    "rules.builtin: \"\(name)\" is not a built-in rule set (there are: \(known))"
                )
            }
            builtinRuleSets = names
        case "rules.files": ruleFiles = try setting.strings()
        case "rules.evaluation_interval": ruleEvaluationIntervalMilliseconds = try setting.duration(atLeast: 1000, note: "(at least 1s)")
        case "rules.external_labels":
            for (labelNode, valueNode) in try setting.pairs() {
                guard case .scalar(let name, _, _, _) = labelNode, case .scalar(let text, _, _, _) = valueNode, Self.isLabelName(name) else {
                    throw ConfigError(
                        at: labelNode,
                        file: setting.file,
                        "rules.external_labels: expected label_name: value, got \(labelNode.kindDescription)"
                    )
                }
                externalLabels[name] = text
            }
        case "alerting.alertmanagers":
            let urls = try setting.strings()
            for url in urls where HTTPURL(url) == nil { throw setting.failure("(\"\(url)\" is not an http:// URL with a host)") }
            alertmanagers = urls
        case "alerting.resend_interval": alertResendIntervalMilliseconds = try setting.duration(atLeast: 1000, note: "(at least 1s)")
        default: try applyUplink(setting)
        }
    }

    private mutating func applyUplink(_ setting: YAMLSetting) throws(ConfigError) {
        switch setting.key {
        case "uplink.url":
            let url = try setting.scalar()
            guard url.isEmpty || HTTPURL(url, allowingHTTPS: true) != nil else { throw setting.failure() }
            uplinkURL = url
        case "uplink.token_file": uplinkTokenFile = try setting.nonEmpty()
        case "uplink.ca_file": uplinkCAFile = try setting.nonEmpty()
        case "uplink.client_cert_file": uplinkClientCertificateFile = try setting.nonEmpty()
        case "uplink.client_key_file": uplinkClientKeyFile = try setting.nonEmpty()
        case "uplink.resolution":
            let resolution = try setting.scalar()
            guard resolution == "1m" || resolution == "raw" else { throw setting.failure() }
            uplinkResolution = resolution
        case "uplink.max_batch_bytes": uplinkMaxBatchBytes = try setting.size(atLeast: 16 * 1024)
        case "uplink.bandwidth": uplinkBandwidth = try setting.size(atLeast: 0)
        case "uplink.window":
            let milliseconds = try setting.duration(atLeast: 1000)
            guard milliseconds % 1000 == 0 else { throw setting.failure() }
            uplinkWindowMilliseconds = milliseconds
        case "uplink.node_secret_file": uplinkNodeSecretFile = try setting.nonEmpty()
        case "uplink.clock_sync_wait": uplinkClockSyncWaitMilliseconds = try setting.duration(atLeast: 0)
        case "events.kubernetes.enabled": kubernetesEvents = try Self.choice(setting, ["auto", "true", "false"])
        case "events.kubernetes.kubeconfig": kubeconfig = try setting.nonEmpty()
        case "events.kubernetes.scope": kubernetesEventScope = try Self.choice(setting, ["node", "cluster"])
        case "events.node.kmsg": kernelLogPath = try setting.scalar()
        case "logs.enabled": logsEnabled = try Self.choice(setting, ["auto", "true", "false"])
        case "logs.units": logUnits = try setting.strings()
        case "logs.journal_dir": journalDirectory = try setting.nonEmpty()
        case "logs.capture_priority":
            let names = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]
            let value = try setting.scalar()
            guard let level = names.firstIndex(of: value) ?? Int(value).flatMap({ (0...7).contains($0) ? $0 : nil }) else { throw setting.failure() }
            logCapturePriority = level
        case "logs.max_bytes": logsMaxBytes = try setting.size(atLeast: 16 * 1024)
        case "events.kubernetes.api": kubernetesEventAPI = try Self.choice(setting, ["v1", "events.k8s.io/v1"])
        case "listen":
            let address = try setting.scalar()
            guard address.isEmpty || ListenAddress(address) != nil else { throw setting.failure() }
            listen = address
        default:
            throw setting.failure()
        }
    }

    private static func choice(_ setting: YAMLSetting, _ allowed: [String]) throws(ConfigError) -> String {
        let value = try setting.scalar()
        guard allowed.contains(value) else { throw setting.failure() }
        return value
    }

    private static func collectorNames(_ setting: YAMLSetting, known: [String]) throws(ConfigError) -> [String] {
        var names: [String] = []
        for item in try setting.items() {
            guard case .scalar(let name, _, _, _) = item else {
                throw ConfigError(at: item, file: setting.file, "collect.collectors: expected a collector name, got \(item.kindDescription)")
            }
            guard known.contains(name) else {
                throw ConfigError(
                    at: item,
                    file: setting.file,
                    "collect.collectors: unknown collector \"\(name)\"; expected one of: \(known.joined(separator: ", "))"
                )
            }
            names.append(name)
        }
        return names
    }

    static func isLabelName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) || ("A"..."Z").contains(first) || first == "_" else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
