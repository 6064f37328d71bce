/// A parsed YAML node with its position (1-based line and column), for precise config errors.
public indirect enum YAMLNode: Sendable {
    case scalar(String, quoted: Bool, line: Int, column: Int)
    case sequence([YAMLNode], line: Int, column: Int)
    case mapping([(key: YAMLNode, value: YAMLNode)], line: Int, column: Int)

    public var line: Int {
        switch self {
        case .scalar(_, _, let line, _), .sequence(_, let line, _), .mapping(_, let line, _): return line
        }
    }

    public var column: Int {
        switch self {
        case .scalar(_, _, _, let column), .sequence(_, _, let column), .mapping(_, _, let column): return column
        }
    }

    /// An empty scalar: what YAML gives for a key with no value, or an empty document.
    public var isEmptyScalar: Bool {
        if case .scalar(let value, _, _, _) = self { return value.isEmpty }
        return false
    }

    /// What the node is, for "expected …, got …" messages.
    public var kindDescription: String {
        switch self {
        case .scalar(let value, _, _, _): return "\"\(value)\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}
