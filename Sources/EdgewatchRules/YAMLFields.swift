import EdgewatchConfig

/// The fields of one YAML mapping, checked against the keys allowed in that place.
struct YAMLFields {
    let file: String
    let node: YAMLNode
    private var values: [String: YAMLNode] = [:]

    init(_ node: YAMLNode, file: String, context: String, allowed: [String]) throws(ConfigError) {
        self.file = file
        self.node = node
        guard case .mapping(let pairs, _, _) = node else {
            throw ConfigError(file: file, line: node.line, column: node.column, message: "expected \(context) (a mapping), got \(node.kindDescription)")
        }
        for (key, value) in pairs {
            guard case .scalar(let name, _, _, _) = key, allowed.contains(name) else {
                throw ConfigError(file: file, line: key.line, column: key.column,
                                  message: "unknown field \(key.kindDescription) in \(context); expected one of: \(allowed.joined(separator: ", "))")
            }
            values[name] = value
        }
    }

    subscript(key: String) -> YAMLNode? { values[key] }

    /// The scalar at `key` (nil when absent); a list or mapping there is an error.
    func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = values[key] else { return nil }
        guard case .scalar(let text, _, _, _) = value else {
            throw error(value, "\(key): expected a single value, got \(value.kindDescription)")
        }
        return text
    }

    /// A mapping of strings at `key` (empty when absent).
    func stringMap(_ key: String) throws(ConfigError) -> [(String, String)] {
        guard let value = values[key] else { return [] }
        if case .scalar(let text, _, _, _) = value, text.isEmpty { return [] }
        guard case .mapping(let pairs, _, _) = value else { throw error(value, "\(key): expected a mapping, got \(value.kindDescription)") }
        var result: [(String, String)] = []
        for (k, v) in pairs {
            guard case .scalar(let name, _, _, _) = k, case .scalar(let text, _, _, _) = v else {
                throw error(k, "\(key): expected name: value pairs")
            }
            result.append((name, text))
        }
        return result
    }

    func error(_ at: YAMLNode, _ message: String) -> ConfigError {
        ConfigError(file: file, line: at.line, column: at.column, message: message)
    }
}
