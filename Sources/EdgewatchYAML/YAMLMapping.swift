/// The fields of one YAML mapping, checked against the keys allowed in that place (rule files,
/// promtool test files): absent fields are nil, unknown ones an error naming what is allowed.
public struct YAMLMapping {
    public let file: String
    public let node: YAMLNode
    private var values: [String: YAMLNode] = [:]

    public init(_ node: YAMLNode, file: String, context: String, allowed: [String]) throws(ConfigError) {
        self.file = file
        self.node = node
        guard case .mapping(let pairs, _, _) = node else {
            throw ConfigError(at: node, file: file, "expected \(context) (a mapping), got \(node.kindDescription)")
        }
        for (key, value) in pairs {
            guard case .scalar(let name, _, _, _) = key, allowed.contains(name) else {
                throw ConfigError(
                    at: key,
                    file: file,
                    "unknown field \(key.kindDescription) in \(context); expected one of: \(allowed.joined(separator: ", "))"
                )
            }
            values[name] = value
        }
    }

    public subscript(key: String) -> YAMLNode? { values[key] }

    /// The scalar at `key` (nil when absent); a list or mapping there is an error.
    public func string(_ key: String) throws(ConfigError) -> String? {
        guard let value = values[key] else { return nil }
        guard case .scalar(let text, _, _, _) = value else {
            throw error(value, "\(key): expected a single value, got \(value.kindDescription)")
        }
        return text
    }

    /// A mapping of strings at `key` (empty when absent).
    public func stringMap(_ key: String) throws(ConfigError) -> [(String, String)] {
        guard let value = values[key] else { return [] }
        if value.isEmptyScalar { return [] }
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

    /// The items of the list at `key` (empty when absent).
    public func list(_ key: String) throws(ConfigError) -> [YAMLNode] {
        guard let node = values[key] else { return [] }
        if node.isEmptyScalar { return [] }
        guard case .sequence(let items, _, _) = node else { throw error(node, "\(key): expected a list, got \(node.kindDescription)") }
        return items
    }

    /// The list of strings at `key` (empty when absent).
    public func strings(_ key: String) throws(ConfigError) -> [String] {
        var result: [String] = []
        for node in try list(key) {
            guard case .scalar(let text, _, _, _) = node else { throw error(node, "\(key): expected a list of strings") }
            result.append(text)
        }
        return result
    }

    /// An error located at `at`.
    public func error(_ at: YAMLNode, _ message: String) -> ConfigError {
        ConfigError(at: at, file: file, message)
    }
}
