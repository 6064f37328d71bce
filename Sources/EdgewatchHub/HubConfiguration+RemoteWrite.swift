import EdgewatchCore
import EdgewatchRemoteWrite
import EdgewatchYAML

extension HubConfiguration {
    /// The `remote_write` list: each item a target, its errors located at the field at fault.
    static func remoteWriteTargets(_ setting: YAMLSetting) throws(ConfigError) -> [RemoteWriteTarget] {
        var targets: [RemoteWriteTarget] = []
        for (index, item) in try setting.items().enumerated() {
            let target = try remoteWriteTarget(item, context: "remote_write[\(index)]", file: setting.file)
            guard !targets.contains(where: { $0.name == target.name }) else {
                throw ConfigError(at: item, file: setting.file, "remote_write[\(index)]: a second target named \"\(target.name)\"; names must differ")
            }
            targets.append(target)
        }
        return targets
    }

    private static func remoteWriteTarget(_ node: YAMLNode, context: String, file: String) throws(ConfigError) -> RemoteWriteTarget {
        let fields = try YAMLMapping(
            node,
            file: file,
            context: "a remote_write target",
            allowed: ["url", "name", "headers", "basic_auth", "tls", "queue", "rollups", "remote_timeout"]
        )
        guard let text = try fields.string("url") else { throw fields.error(node, "\(context): url is required") }
        guard let url = HTTPURL(text, allowingHTTPS: true) else {
            throw fields.error(fields["url"] ?? node, "\(context).url: expected http(s)://host[:port]/path, got \"\(text)\"")
        }
        var target = RemoteWriteTarget(name: try fields.string("name") ?? text, url: url)
        guard !target.name.isEmpty else { throw fields.error(fields["name"] ?? node, "\(context).name: expected a non-empty name") }
        for (name, value) in try fields.stringMap("headers") {
            guard !RemoteWriteRequest.reservedHeaders.contains(name.lowercased()) else {
                throw fields.error(fields["headers"] ?? node, "\(context).headers: \(name) is set by the protocol and cannot be configured")
            }
            target.headers.append((name, value))
        }
        if let rollups = try fields.string("rollups") {
            guard let mode = RemoteWriteTarget.Rollups(rawValue: rollups) else {
                throw fields.error(fields["rollups"] ?? node, "\(context).rollups: expected last or summary, got \"\(rollups)\"")
            }
            target.rollups = mode
        }
        if let timeout = fields["remote_timeout"] {
            target.timeoutMilliseconds = try duration(fields, timeout, "\(context).remote_timeout", atLeast: 1000)
        }
        if let auth = fields["basic_auth"] { target.basicAuth = try basicAuth(auth, context: "\(context).basic_auth", file: file) }
        if let tls = fields["tls"] { try applyTLS(tls, to: &target, context: "\(context).tls", file: file) }
        if let queue = fields["queue"] { try applyQueue(queue, to: &target, context: "\(context).queue", file: file) }
        return target
    }

    private static func basicAuth(_ node: YAMLNode, context: String, file: String) throws(ConfigError) -> (String, String) {
        let fields = try YAMLMapping(node, file: file, context: context, allowed: ["username", "password", "password_file"])
        guard let username = try fields.string("username"), !username.isEmpty, !username.contains(":") else {
            throw fields.error(fields["username"] ?? node, "\(context).username: expected a user name without ':'")
        }
        switch (try fields.string("password"), try fields.string("password_file")) {
        case (let password?, nil): return (username, password)
        case (nil, let path?):
            let at = fields["password_file"] ?? node
            guard var password = try? LocalFiles.read(path) else { throw fields.error(at, "\(context).password_file: cannot read \(path)") }
            while password.hasSuffix("\n") || password.hasSuffix("\r") { password.removeLast() }
            return (username, password)
        default: throw fields.error(node, "\(context): expected password or password_file (one of them)")
        }
    }

    private static func applyTLS(_ node: YAMLNode, to target: inout RemoteWriteTarget, context: String, file: String) throws(ConfigError) {
        let fields = try YAMLMapping(node, file: file, context: context, allowed: ["ca_file", "cert_file", "key_file"])
        target.caFile = try fields.string("ca_file") ?? ""
        target.certificateFile = try fields.string("cert_file") ?? ""
        target.keyFile = try fields.string("key_file") ?? ""
        guard target.certificateFile.isEmpty == target.keyFile.isEmpty else {
            throw fields.error(node, "\(context): set both cert_file and key_file, or neither")
        }
        guard target.url.secure || (target.caFile.isEmpty && target.certificateFile.isEmpty) else {
            throw fields.error(node, "\(context): TLS settings need an https:// url")
        }
    }

    private static func applyQueue(_ node: YAMLNode, to target: inout RemoteWriteTarget, context: String, file: String) throws(ConfigError) {
        let fields = try YAMLMapping(node, file: file, context: context, allowed: ["max_samples_per_send", "min_backoff", "max_backoff"])
        if let text = try fields.string("max_samples_per_send") {
            guard let count = Int(text), (1...1_000_000).contains(count) else {
                throw fields.error(fields["max_samples_per_send"] ?? node, "\(context).max_samples_per_send: expected 1 to 1000000, got \"\(text)\"")
            }
            target.maxSamplesPerSend = count
        }
        if let value = fields["min_backoff"] {
            target.minBackoffMilliseconds = try duration(fields, value, "\(context).min_backoff", atLeast: 1)
        }
        if let value = fields["max_backoff"] {
            target.maxBackoffMilliseconds = try duration(fields, value, "\(context).max_backoff", atLeast: 1)
        }
        guard target.minBackoffMilliseconds <= target.maxBackoffMilliseconds else {
            throw fields.error(node, "\(context): min_backoff is longer than max_backoff")
        }
    }

    private static func duration(_ fields: YAMLMapping, _ node: YAMLNode, _ context: String, atLeast minimum: Int64) throws(ConfigError) -> Int64 {
        guard case .scalar(let text, _, _, _) = node, let milliseconds = ValueParsing.duration(text), milliseconds >= minimum else {
            throw fields.error(node, "\(context): expected a duration like 30s (at least \(minimum) ms), got \(node.kindDescription)")
        }
        return milliseconds
    }
}
