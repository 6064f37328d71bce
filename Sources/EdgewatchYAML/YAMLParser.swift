import CYAML

/// Parses one YAML document with libyaml's event API into ``YAMLNode``s (anchors and aliases
/// are refused: a config file does not need them).
public enum YAMLParser {
    /// How deep lists and mappings may nest: far more than any edgewatch file needs, and shallow
    /// enough that the decoders walking the tree, and its release, stay within a thread's stack.
    public static let maxNesting = 64

    public static func parse(_ text: String, file: String) throws(ConfigError) -> YAMLNode? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw ConfigError(file: file, line: 0, column: 0, message: "cannot initialise the YAML parser")
        }
        defer { yaml_parser_delete(&parser) }
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer throws(ConfigError) -> YAMLNode? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var builder = Builder(file: file)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
                    throw ConfigError(
                        file: file,
                        line: Int(parser.problem_mark.line) + 1,
                        column: Int(parser.problem_mark.column) + 1,
                        message: problem
                    )
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { break }
                try builder.handle(&event)
            }
            return builder.root
        }
    }

    private struct Builder {
        enum Frame {
            case sequence([YAMLNode], Int, Int)
            case mapping([(key: YAMLNode, value: YAMLNode)], pendingKey: YAMLNode?, Int, Int)
        }

        let file: String
        var stack: [Frame] = []
        var root: YAMLNode?

        mutating func handle(_ event: inout yaml_event_t) throws(ConfigError) {
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                let quoted = scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE || scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE
                try add(.scalar(value, quoted: quoted, line: line, column: column))
            case YAML_SEQUENCE_START_EVENT:
                try checkNesting(line: line, column: column)
                stack.append(.sequence([], line, column))
            case YAML_MAPPING_START_EVENT:
                try checkNesting(line: line, column: column)
                stack.append(.mapping([], pendingKey: nil, line, column))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { return }
                switch frame {
                case .sequence(let items, let l, let c): try add(.sequence(items, line: l, column: c))
                case .mapping(let pairs, _, let l, let c): try add(.mapping(pairs, line: l, column: c))
                }
            case YAML_ALIAS_EVENT:
                throw ConfigError(file: file, line: line, column: column, message: "YAML aliases are not supported in edgewatch config")
            default:
                break
            }
        }

        private func checkNesting(line: Int, column: Int) throws(ConfigError) {
            guard stack.count < YAMLParser.maxNesting else {
                throw ConfigError(
                    file: file,
                    line: line,
                    column: column,
                    message: "lists and mappings nest deeper than \(YAMLParser.maxNesting) levels"
                )
            }
        }

        private mutating func add(_ node: YAMLNode) throws(ConfigError) {
            guard let top = stack.popLast() else {
                root = node
                return
            }
            switch top {
            case .sequence(var items, let l, let c):
                items.append(node)
                stack.append(.sequence(items, l, c))
            case .mapping(var pairs, let pendingKey, let l, let c):
                if let key = pendingKey {
                    if pairs.contains(where: { Self.same($0.key, key) }) {
                        throw ConfigError(file: file, line: key.line, column: key.column, message: "duplicate key \(key.kindDescription)")
                    }
                    pairs.append((key, node))
                    stack.append(.mapping(pairs, pendingKey: nil, l, c))
                } else {
                    stack.append(.mapping(pairs, pendingKey: node, l, c))
                }
            }
        }

        private static func same(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
            if case .scalar(let x, _, _, _) = a, case .scalar(let y, _, _, _) = b { return x == y }
            return false
        }
    }
}
