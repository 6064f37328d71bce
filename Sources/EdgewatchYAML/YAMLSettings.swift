/// The keyed decoder of settings files: nested sections flatten to dotted keys (`store.max_bytes`),
/// each checked against a table of known keys and the form each expects.
public enum YAMLSettings {
    /// The settings in `text` (the contents of `file`), in file order; an empty file has none.
    /// Unknown keys and sections that are not mappings are located errors.
    public static func read(_ text: String, file: String, keys: [String: String]) throws(ConfigError) -> [YAMLSetting] {
        guard let root = try YAMLParser.parse(text, file: file), !root.isEmptyScalar else { return [] }
        guard case .mapping(let pairs, _, _) = root else {
            throw ConfigError(at: root, file: file, "expected a mapping of settings at the top level, got \(root.kindDescription)")
        }
        var settings: [YAMLSetting] = []
        try flatten(pairs, prefix: "", file: file, keys: keys, into: &settings)
        return settings
    }

    private static func flatten(
        _ pairs: [(key: YAMLNode, value: YAMLNode)],
        prefix: String,
        file: String,
        keys: [String: String],
        into settings: inout [YAMLSetting]
    ) throws(ConfigError) {
        for (keyNode, value) in pairs {
            guard case .scalar(let name, _, _, _) = keyNode, !name.isEmpty else {
                throw ConfigError(at: keyNode, file: file, "expected a key name, got \(keyNode.kindDescription)")
            }
            let key = prefix.isEmpty ? name : prefix + "." + name
            if let expected = keys[key] {
                settings.append(YAMLSetting(key: key, keyNode: keyNode, value: value, expected: expected, file: file))
                continue
            }
            guard keys.keys.contains(where: { $0.hasPrefix(key + ".") }) else {
                throw ConfigError(at: keyNode, file: file, "unknown key \"\(key)\"; expected one of: \(keys.keys.sorted().joined(separator: ", "))")
            }
            guard case .mapping(let children, _, _) = value else {
                throw ConfigError(at: value, file: file, "\(key): expected a mapping of \(key).* settings, got \(value.kindDescription)")
            }
            try flatten(children, prefix: key, file: file, keys: keys, into: &settings)
        }
    }
}
