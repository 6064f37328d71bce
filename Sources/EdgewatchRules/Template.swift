import EdgewatchPromQL

/// The Go text/template subset Prometheus rule templates use: `{{ $labels.x }}`, `{{ $value }}`,
/// pipelines with `|`, function calls (humanize…, printf, toUpper, reReplaceAll, …),
/// `if`/`else`/`end`, trim markers and comments.
public struct Template: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case output(Pipeline)
        case conditional(Pipeline, then: [Node], otherwise: [Node])
    }

    struct Pipeline: Sendable {
        var commands: [[Operand]]
    }

    indirect enum Operand: Sendable {
        case literal(TemplateValue)
        /// `$name.field…` (name "" is `$`) or `.Field…` (variable nil).
        case variable(String?, fields: [String])
        case function(String)
        case pipeline(Pipeline)
    }

    /// The data a rule template sees.
    public struct Data: Sendable {
        public var labels: [String: String]
        public var externalLabels: [String: String]
        public var externalURL: String
        public var value: Double

        public init(labels: [String: String], externalLabels: [String: String] = [:], externalURL: String = "", value: Double) {
            self.labels = labels
            self.externalLabels = externalLabels
            self.externalURL = externalURL
            self.value = value
        }
    }

    let nodes: [Node]
    public let source: String

    /// Parses `text`; errors read like Go's (`template: NAME:LINE: …`).
    public init(_ text: String, name: String) throws(TemplateError) {
        source = text
        var parser = TemplateParser(text: text, name: name)
        nodes = try parser.parseDocument()
    }

    /// The most a template may expand to: each `printf` pads to at most 10⁶ characters, and a rule
    /// file with many of them would otherwise grow an annotation without bound.
    public static let maximumOutputBytes = 1 << 20

    /// Expands the template for `data`; an error past ``maximumOutputBytes``.
    public func render(_ data: Data) throws(TemplateError) -> String {
        var output = ""
        try render(nodes, data, into: &output)
        return output
    }

    private func render(_ nodes: [Node], _ data: Data, into output: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text): output += text
            case .output(let pipeline): output += try evaluate(pipeline, data).text
            case .conditional(let condition, let then, let otherwise):
                try render(try evaluate(condition, data).isTrue ? then : otherwise, data, into: &output)
            }
            guard output.utf8.count <= Self.maximumOutputBytes else {
                throw TemplateError("template output exceeds \(Self.maximumOutputBytes) bytes")
            }
        }
    }

    func evaluate(_ pipeline: Pipeline, _ data: Data) throws(TemplateError) -> TemplateValue {
        var piped: TemplateValue?
        for command in pipeline.commands {
            guard let head = command.first else { throw TemplateError("empty command") }
            if case .function(let name) = head {
                var arguments: [TemplateValue] = []
                for operand in command.dropFirst() { arguments.append(try value(operand, data)) }
                if let piped { arguments.append(piped) }
                piped = try TemplateFunctions.call(name, arguments)
            } else {
                guard command.count == 1 else { throw TemplateError("can't give argument to non-function \(command.count)") }
                guard piped == nil else { throw TemplateError("can't give argument to non-function") }
                piped = try value(head, data)
            }
        }
        return piped ?? .none
    }

    func value(_ operand: Operand, _ data: Data) throws(TemplateError) -> TemplateValue {
        switch operand {
        case .literal(let value): return value
        case .pipeline(let pipeline): return try evaluate(pipeline, data)
        case .function(let name): return try TemplateFunctions.call(name, [])
        case .variable(let name, let fields):
            var current: TemplateValue
            var remaining = fields[...]
            switch name {
            case "labels": current = .map(data.labels)
            case "externalLabels": current = .map(data.externalLabels)
            case "externalURL": current = .string(data.externalURL)
            case "value": current = .number(data.value)
            case "", nil:
                guard let field = remaining.popFirst() else { return .none }
                switch field {
                case "Labels": current = .map(data.labels)
                case "ExternalLabels": current = .map(data.externalLabels)
                case "ExternalURL": current = .string(data.externalURL)
                case "Value": current = .number(data.value)
                default: throw TemplateError("can't evaluate field \(field)")
                }
            case .some(let other): throw TemplateError("undefined variable \"$\(other)\"")
            }
            for field in remaining {
                guard case .map(let values) = current else { throw TemplateError("can't evaluate field \(field) in \(current.text)") }
                current = .string(values[field] ?? "")
            }
            return current
        }
    }
}
