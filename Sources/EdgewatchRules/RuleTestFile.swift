import EdgewatchCore
import EdgewatchPromQL
import EdgewatchYAML

/// A promtool rule unit-test file.
public struct RuleTestFile: Sendable {
    public struct InputSeries: Sendable {
        public var labels: Labels
        public var values: [Double?]
    }

    public struct ExpectedAlert: Sendable {
        public var labels: [(String, String)]
        public var annotations: [(String, String)]
    }

    public struct AlertTest: Sendable {
        public var evalTime: Int64
        public var alertName: String
        public var expected: [ExpectedAlert]
    }

    public struct ExpressionTest: Sendable {
        public var expression: String
        public var evalTime: Int64
        public var expected: [(labels: String, value: Double)]
    }

    public struct TestGroup: Sendable {
        public var name: String
        public var interval: Int64
        public var inputSeries: [InputSeries]
        public var alertTests: [AlertTest]
        public var expressionTests: [ExpressionTest]
        public var externalLabels: [String: String]
        public var externalURL: String
    }

    public var path: String
    public var ruleFiles: [String]
    public var evaluationInterval: Int64
    public var groupEvalOrder: [String]
    public var tests: [TestGroup]

    public static func parse(_ text: String, file: String) throws(ConfigError) -> RuleTestFile {
        guard let root = try YAMLParser.parse(text, file: file) else {
            return RuleTestFile(path: file, ruleFiles: [], evaluationInterval: 60_000, groupEvalOrder: [], tests: [])
        }
        let top = try YAMLMapping(
            root,
            file: file,
            context: "a rule test file",
            allowed: ["rule_files", "evaluation_interval", "group_eval_order", "tests"]
        )
        var result = RuleTestFile(
            path: file,
            ruleFiles: try top.strings("rule_files"),
            evaluationInterval: 60_000,
            groupEvalOrder: try top.strings("group_eval_order"),
            tests: []
        )
        if let text = try top.string("evaluation_interval") {
            result.evaluationInterval = try duration(text, top, "evaluation_interval")
        }
        guard let testsNode = top["tests"] else { return result }
        guard case .sequence(let items, _, _) = testsNode else { throw top.error(testsNode, "tests: expected a list of test groups") }
        for item in items {
            let fields = try YAMLMapping(
                item,
                file: file,
                context: "a test group",
                allowed: ["interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels", "external_url", "name"]
            )
            var group = TestGroup(
                name: try fields.string("name") ?? "",
                interval: result.evaluationInterval,
                inputSeries: [],
                alertTests: [],
                expressionTests: [],
                externalLabels: [:],
                externalURL: try fields.string("external_url") ?? ""
            )
            if let text = try fields.string("interval") { group.interval = try duration(text, fields, "interval") }
            for (name, value) in try fields.stringMap("external_labels") { group.externalLabels[name] = value }
            for node in try fields.list("input_series") {
                let series = try YAMLMapping(node, file: file, context: "an input series", allowed: ["series", "values"])
                let description = try series.string("series") ?? ""
                do {
                    group.inputSeries.append(
                        InputSeries(
                            labels: try SeriesNotation.metric(description),
                            values: try SeriesNotation.expand(try series.string("values") ?? "")
                        )
                    )
                } catch let error as PromQLError {
                    throw series.error(node, "input series \"\(description)\": \(error)")
                } catch {
                    throw series.error(node, "input series \"\(description)\": \(error)")
                }
            }
            for node in try fields.list("alert_rule_test") {
                let test = try YAMLMapping(node, file: file, context: "an alert rule test", allowed: ["eval_time", "alertname", "exp_alerts"])
                var expected: [ExpectedAlert] = []
                for alertNode in try test.list("exp_alerts") {
                    let alert = try YAMLMapping(alertNode, file: file, context: "an expected alert", allowed: ["exp_labels", "exp_annotations"])
                    expected.append(ExpectedAlert(labels: try alert.stringMap("exp_labels"), annotations: try alert.stringMap("exp_annotations")))
                }
                group.alertTests.append(
                    AlertTest(
                        evalTime: try duration(try test.string("eval_time") ?? "0", test, "eval_time"),
                        alertName: try test.string("alertname") ?? "",
                        expected: expected
                    )
                )
            }
            for node in try fields.list("promql_expr_test") {
                let test = try YAMLMapping(node, file: file, context: "a PromQL expression test", allowed: ["expr", "eval_time", "exp_samples"])
                var expected: [(labels: String, value: Double)] = []
                for sampleNode in try test.list("exp_samples") {
                    let sample = try YAMLMapping(sampleNode, file: file, context: "an expected sample", allowed: ["labels", "value", "histogram"])
                    let valueText = try sample.string("value") ?? "0"
                    guard let value = yamlFloat(valueText) else {
                        throw sample.error(sample["value"] ?? sampleNode, "value: expected a number, got \"\(valueText)\"")
                    }
                    expected.append((try sample.string("labels") ?? "", value))
                }
                group.expressionTests.append(
                    ExpressionTest(
                        expression: try test.string("expr") ?? "",
                        evalTime: try duration(try test.string("eval_time") ?? "0", test, "eval_time"),
                        expected: expected
                    )
                )
            }
            result.tests.append(group)
        }
        return result
    }

    /// A YAML float (`1.5`, `1e3`, `.inf`, `-.Inf`, `.nan`) or a PromQL-style `Inf`/`NaN`.
    static func yamlFloat(_ text: String) -> Double? {
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default: return SeriesNotation.number(Substring(text))
        }
    }

    static func duration(_ text: String, _ fields: YAMLMapping, _ key: String) throws(ConfigError) -> Int64 {
        guard let value = PromDuration.parse(text) else {
            throw fields.error(fields[key] ?? fields.node, "\(key): expected a duration like 1m or 30s, got \"\(text)\"")
        }
        return value
    }
}
