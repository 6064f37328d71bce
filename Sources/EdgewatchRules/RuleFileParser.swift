import EdgewatchCore
import EdgewatchPromQL
import EdgewatchYAML

/// Reads Prometheus rule files (`groups:` of alerting and recording rules), validating what
/// promtool validates; every error is located as `file:line:column`.
public enum RuleFileParser {
    public static func parse(_ text: String, file: String) throws(ConfigError) -> [RuleGroup] {
        guard let root = try YAMLParser.parse(text, file: file) else { return [] }
        if case .scalar(let value, _, _, _) = root, value.isEmpty { return [] }
        let top = try YAMLMapping(root, file: file, context: "the rule file", allowed: ["groups"])
        guard let groupsNode = top["groups"] else { return [] }
        guard case .sequence(let items, _, _) = groupsNode else {
            throw top.error(groupsNode, "groups: expected a list of rule groups, got \(groupsNode.kindDescription)")
        }
        var groups: [RuleGroup] = []
        var names: Set<String> = []
        for item in items {
            let fields = try YAMLMapping(item, file: file, context: "a rule group", allowed: ["name", "interval", "limit", "rules"])
            let name = try fields.string("name") ?? ""
            guard !name.isEmpty else { throw fields.error(item, "Groupname must not be empty") }
            guard names.insert(name).inserted else { throw fields.error(item, "groupname: \"\(name)\" is repeated in the same file") }
            var interval: Int64?
            if let text = try fields.string("interval") {
                guard let value = PromDuration.parse(text), value > 0 else {
                    throw fields.error(fields["interval"] ?? item, "interval: expected a duration like 1m, got \"\(text)\"")
                }
                interval = value
            }
            var limit = 0
            if let text = try fields.string("limit") {
                guard let value = Int(text), value >= 0 else {
                    throw fields.error(fields["limit"] ?? item, "limit: expected a non-negative integer, got \"\(text)\"")
                }
                limit = value
            }
            var rules: [Rule] = []
            if let rulesNode = fields["rules"] {
                guard case .sequence(let ruleNodes, _, _) = rulesNode else {
                    throw fields.error(rulesNode, "rules: expected a list of rules, got \(rulesNode.kindDescription)")
                }
                for (index, ruleNode) in ruleNodes.enumerated() {
                    rules.append(try parseRule(ruleNode, file: file, group: name, index: index + 1))
                }
            }
            groups.append(RuleGroup(name: name, intervalMilliseconds: interval, limit: limit, rules: rules, file: file, line: item.line))
        }
        return groups
    }

    static func parseRule(_ node: YAMLNode, file: String, group: String, index: Int) throws(ConfigError) -> Rule {
        let fields = try YAMLMapping(
            node,
            file: file,
            context: "a rule",
            allowed: ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]
        )
        let record = try fields.string("record")
        let alert = try fields.string("alert")
        let label = "group \"\(group)\", rule \(index), \"\(alert ?? record ?? "")\""
        func fail(_ at: YAMLNode?, _ message: String) -> ConfigError { fields.error(at ?? node, "\(label): \(message)") }
        if record != nil, alert != nil { throw fail(nil, "only one of 'record' and 'alert' must be set") }
        guard let name = record ?? alert, !name.isEmpty else { throw fail(nil, "one of 'record' or 'alert' must be set") }
        guard let expressionText = try fields.string("expr"), !expressionText.isEmpty else { throw fail(nil, "field 'expr' must be set in rule") }
        let expression: Expression
        do {
            expression = try Parser.parse(expressionText)
        } catch {
            throw fail(fields["expr"], "could not parse expression: \(error)")
        }
        let kind: Rule.Kind = record != nil ? .recording : .alerting
        var rule = Rule(kind: kind, name: name, expressionText: expressionText, expression: expression, line: node.line)
        if kind == .recording {
            guard isMetricName(name) else { throw fail(fields["record"], "invalid recording rule name: \(name)") }
            for key in ["annotations", "for", "keep_firing_for"] where fields[key] != nil {
                throw fail(fields[key], "invalid field '\(key)' in recording rule")
            }
        }
        for (key, keyPath) in [("for", \Rule.forMilliseconds), ("keep_firing_for", \Rule.keepFiringForMilliseconds)] {
            if let text = try fields.string(key) {
                guard let value = PromDuration.parse(text) else { throw fail(fields[key], "\(key): expected a duration like 5m, got \"\(text)\"") }
                rule[keyPath: keyPath] = value
            }
        }
        rule.labels = try templates(fields, "labels", rule: rule, fail: fail)
        rule.annotations = try templates(fields, "annotations", rule: rule, fail: fail)
        return rule
    }

    static func templates(
        _ fields: YAMLMapping,
        _ key: String,
        rule: Rule,
        fail: (YAMLNode?, String) -> ConfigError
    ) throws(ConfigError) -> [(name: String, template: Template)] {
        guard let node = fields[key] else { return [] }
        if case .scalar(let value, _, _, _) = node, value.isEmpty { return [] }
        guard case .mapping(let pairs, _, _) = node else { throw fail(node, "\(key): expected a mapping, got \(node.kindDescription)") }
        var result: [(name: String, template: Template)] = []
        for (keyNode, valueNode) in pairs {
            guard case .scalar(let name, _, _, _) = keyNode, case .scalar(let text, _, _, _) = valueNode else {
                throw fail(keyNode, "\(key): expected name: text pairs")
            }
            if key == "labels" {
                guard Parser.isLabelName(name) else { throw fail(keyNode, "invalid label name: \(name)") }
            }
            do {
                result.append((name, try Template(text, name: "__\(rule.kind == .alerting ? "alert" : "record")_\(rule.name)")))
            } catch {
                throw fail(valueNode, "\(key == "labels" ? "label" : "annotation") \"\(name)\": \(error)")
            }
        }
        return result
    }

    static func isMetricName(_ text: String) -> Bool {
        func isStart(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == ":" }
        guard let first = text.unicodeScalars.first, isStart(first) else { return false }
        return text.unicodeScalars.allSatisfy { isStart($0) || ("0"..."9").contains($0) }
    }
}
