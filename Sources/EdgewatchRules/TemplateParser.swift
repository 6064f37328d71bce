/// Parses template text into nodes.
struct TemplateParser {
    /// How deep `{{if}}` blocks (each `{{else if}}` counting one) and parentheses may nest, so that
    /// parsing, executing and freeing a template stay within a thread's stack.
    static let maxNesting = 100

    let name: String
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var depth = 0

    init(text: String, name: String) {
        self.name = name
        scalars = Array(text.unicodeScalars)
    }

    private enum Block {
        case end
        case otherwise(Template.Pipeline?)
    }

    private func fail(_ message: String, at position: Int? = nil) -> TemplateError {
        let line = scalars[..<min(position ?? index, scalars.count)].filter { $0 == "\n" }.count + 1
        return TemplateError("template: \(name):\(line): \(message)")
    }

    mutating func parseDocument() throws(TemplateError) -> [Template.Node] {
        let (nodes, terminator) = try parseNodes()
        if terminator != nil { throw fail("unexpected {{end}} or {{else}}") }
        return nodes
    }

    private mutating func parseNodes() throws(TemplateError) -> ([Template.Node], Block?) {
        var nodes: [Template.Node] = []
        var text = ""
        while index < scalars.count {
            if scalars[index] == "{", index + 1 < scalars.count, scalars[index + 1] == "{" {
                let actionStart = index
                index += 2
                var trimLeft = false
                if index + 1 < scalars.count, scalars[index] == "-", scalars[index + 1].properties.isWhitespace {
                    trimLeft = true
                    index += 1
                }
                if trimLeft {
                    while let last = text.unicodeScalars.last, last.properties.isWhitespace { text.unicodeScalars.removeLast() }
                }
                if !text.isEmpty { nodes.append(.text(text)) }
                text = ""
                var lexer = TemplateLexer(scalars: scalars, index: index)
                let tokens: [TemplateLexer.Token]
                do {
                    tokens = try lexer.tokenize()
                } catch {
                    throw fail(error.message, at: actionStart)
                }
                index = lexer.index
                if lexer.trimRight {
                    while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
                }
                if tokens.isEmpty { continue }  // a comment
                if case .word(let keyword) = tokens[0] {
                    switch keyword {
                    case "end":
                        return (nodes, .end)
                    case "else":
                        if tokens.count > 1, case .word("if") = tokens[1] {
                            return (nodes, .otherwise(try parsePipeline(Array(tokens.dropFirst(2)), at: actionStart)))
                        }
                        return (nodes, .otherwise(nil))
                    case "if":
                        nodes.append(try parseConditional(Array(tokens.dropFirst()), at: actionStart))
                        continue
                    case "range", "with", "define", "template", "block":
                        throw fail("\"\(keyword)\" actions are not supported by edgewatch templates", at: actionStart)
                    default:
                        break
                    }
                }
                nodes.append(.output(try parsePipeline(tokens, at: actionStart)))
            } else {
                text.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        if !text.isEmpty { nodes.append(.text(text)) }
        return (nodes, nil)
    }

    private mutating func parseConditional(_ tokens: [TemplateLexer.Token], at position: Int) throws(TemplateError) -> Template.Node {
        try parseBranches(try parsePipeline(tokens, at: position), at: position)
    }

    /// The nodes after `{{if …}}` or `{{else if …}}` up to the matching `{{end}}`.
    private mutating func parseBranches(_ condition: Template.Pipeline, at position: Int) throws(TemplateError) -> Template.Node {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxNesting else { throw fail("{{if}} blocks nest deeper than \(Self.maxNesting) levels", at: position) }
        let (then, terminator) = try parseNodes()
        switch terminator {
        case .end: return .conditional(condition, then: then, otherwise: [])
        case .otherwise(nil):
            let (otherwise, end) = try parseNodes()
            guard case .end = end else { throw fail("missing {{end}} for {{if}}", at: position) }
            return .conditional(condition, then: then, otherwise: otherwise)
        case .otherwise(let next?):
            return .conditional(condition, then: then, otherwise: [try parseBranches(next, at: position)])
        case nil: throw fail("missing {{end}} for {{if}}", at: position)
        }
    }

    private func parsePipeline(_ tokens: [TemplateLexer.Token], at position: Int) throws(TemplateError) -> Template.Pipeline {
        var tokenIndex = 0
        let pipeline = try parsePipeline(tokens, &tokenIndex, depth: 0, at: position)
        guard tokenIndex == tokens.count else { throw fail("unexpected \")\" in command", at: position) }
        return pipeline
    }

    private func parsePipeline(
        _ tokens: [TemplateLexer.Token],
        _ tokenIndex: inout Int,
        depth: Int,
        at position: Int
    ) throws(TemplateError) -> Template.Pipeline {
        guard depth <= Self.maxNesting else { throw fail("parentheses nest deeper than \(Self.maxNesting) levels", at: position) }
        var commands: [[Template.Operand]] = [[]]
        while tokenIndex < tokens.count {
            let token = tokens[tokenIndex]
            tokenIndex += 1
            switch token {
            case .pipe:
                guard !(commands.last?.isEmpty ?? true) else { throw fail("missing command before |", at: position) }
                commands.append([])
            case .close:
                tokenIndex -= 1
                guard !(commands.last?.isEmpty ?? true) else { throw fail("missing value for command", at: position) }
                return Template.Pipeline(commands: commands)
            case .open:
                let inner = try parsePipeline(tokens, &tokenIndex, depth: depth + 1, at: position)
                guard tokenIndex < tokens.count, case .close = tokens[tokenIndex] else { throw fail("unclosed left paren", at: position) }
                tokenIndex += 1
                commands[commands.count - 1].append(.pipeline(inner))
            case .literal(let value):
                commands[commands.count - 1].append(.literal(value))
            case .variable(let name, let fields):
                guard ["labels", "value", "externalLabels", "externalURL", ""].contains(name) else {
                    throw fail("undefined variable \"$\(name)\"", at: position)
                }
                commands[commands.count - 1].append(.variable(name, fields: fields))
            case .field(let fields):
                commands[commands.count - 1].append(.variable(nil, fields: fields))
            case .word(let word):
                switch word {
                case "true": commands[commands.count - 1].append(.literal(.bool(true)))
                case "false": commands[commands.count - 1].append(.literal(.bool(false)))
                case "nil": commands[commands.count - 1].append(.literal(.none))
                default:
                    guard TemplateFunctions.names.contains(word) else { throw fail("function \"\(word)\" not defined", at: position) }
                    commands[commands.count - 1].append(.function(word))
                }
            }
        }
        guard !(commands.last?.isEmpty ?? true) else { throw fail("missing value for command", at: position) }
        return Template.Pipeline(commands: commands)
    }
}
