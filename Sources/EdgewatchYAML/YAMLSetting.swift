/// One setting of a settings file (agent or hub): its dotted key, where it stands, and the form
/// it must take. Every accessor fails with `file:line:column: key: expected …, got …`.
public struct YAMLSetting {
    public let key: String
    public let keyNode: YAMLNode
    public let value: YAMLNode
    /// The expected form, as the settings' key table words it.
    public let expected: String
    public let file: String

    /// The located "expected …, got …" error, with an optional note such as "(at least 1s)".
    public func failure(_ note: String = "") -> ConfigError {
        ConfigError(at: value, file: file, "\(key): expected \(expected), got \(value.kindDescription)\(note.isEmpty ? "" : " " + note)")
    }

    public func scalar() throws(ConfigError) -> String {
        guard case .scalar(let text, _, _, _) = value else { throw failure() }
        return text
    }

    public func nonEmpty() throws(ConfigError) -> String {
        let text = try scalar()
        guard !text.isEmpty else { throw failure() }
        return text
    }

    /// A duration (`500ms`, `1m30s`) of at least `minimum` milliseconds, in milliseconds.
    public func duration(atLeast minimum: Int64, note: String = "") throws(ConfigError) -> Int64 {
        guard let milliseconds = ValueParsing.duration(try scalar()), milliseconds >= minimum else { throw failure(note) }
        return milliseconds
    }

    /// A size (`256MiB`, `1GB`, `1048576`) of at least `minimum` bytes.
    public func size(atLeast minimum: Int64, note: String = "") throws(ConfigError) -> Int64 {
        guard let bytes = ValueParsing.size(try scalar()), bytes >= minimum else { throw failure(note) }
        return bytes
    }

    /// A decimal integer of at least `minimum`.
    public func integer(atLeast minimum: Int) throws(ConfigError) -> Int {
        guard let number = Int(try scalar()), number >= minimum else { throw failure() }
        return number
    }

    /// A list of non-empty strings.
    public func strings() throws(ConfigError) -> [String] {
        guard case .sequence(let items, _, _) = value else { throw failure() }
        var result: [String] = []
        for item in items {
            guard case .scalar(let text, _, _, _) = item, !text.isEmpty else { throw failure() }
            result.append(text)
        }
        return result
    }

    /// The items of a list, each with its own position for item-level errors.
    public func items() throws(ConfigError) -> [YAMLNode] {
        guard case .sequence(let items, _, _) = value else { throw failure() }
        return items
    }

    /// The pairs of a mapping, keys and values as written.
    public func pairs() throws(ConfigError) -> [(key: YAMLNode, value: YAMLNode)] {
        guard case .mapping(let pairs, _, _) = value else { throw failure() }
        return pairs
    }
}
