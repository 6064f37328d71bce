import EdgewatchCore
import EdgewatchPromQL
import EdgewatchRules
import EdgewatchYAML
import Testing

@Suite struct RuleFileTests {
    func error(_ text: String) -> String {
        do {
            _ = try RuleFileParser.parse(text, file: "r.yml")
            return "no error"
        } catch {
            return error.description
        }
    }

    @Test func badRulesAreLocated() {
        #expect(
            error("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: rate(up[5m)\n")
                == #"r.yml:5:15: group "g", rule 1, "A": could not parse expression: 1:11: parse error: unexpected ")", expected "]""#
        )
        #expect(
            error("groups:\n  - name: g\n    rules:\n      - alert: A\n        record: b\n        expr: up\n")
                == #"r.yml:4:9: group "g", rule 1, "A": only one of 'record' and 'alert' must be set"#
        )
        #expect(
            error("groups:\n  - name: g\n    rules:\n      - record: b\n        expr: up\n        for: 5m\n")
                == #"r.yml:6:14: group "g", rule 1, "b": invalid field 'for' in recording rule"#
        )
        #expect(error("groups:\n  - name: g\n  - name: g\n") == #"r.yml:3:5: groupname: "g" is repeated in the same file"#)
        #expect(
            error("groups:\n  - name: g\n    rulez: []\n")
                == #"r.yml:3:5: unknown field "rulez" in a rule group; expected one of: name, interval, limit, rules"#
        )
        #expect(
            error("groups:\n  - name: g\n    rules:\n      - record: 1bad\n        expr: up\n")
                == #"r.yml:4:17: group "g", rule 1, "1bad": invalid recording rule name: 1bad"#
        )
        #expect(
            error("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n          s: \"{{ nosuch }}\"\n")
                == #"r.yml:7:14: group "g", rule 1, "A": annotation "s": template: __alert_A:1: function "nosuch" not defined"#
        )
        #expect(error("groups:\n  - name: g\n    interval: 5x\n") == #"r.yml:3:15: interval: expected a duration like 1m, got "5x""#)
    }

    @Test func seriesNotation() throws {
        let values = try SeriesNotation.expand("1 _ 2+3x2 5-1x1 stale _x2 1e3 -Inf 7x2")
        #expect(values.count == 15)
        #expect(values[0] == 1 && values[1] == nil && values[2] == 2 && values[3] == 5 && values[4] == 8)
        #expect(values[5] == 5 && values[6] == 4)
        #expect(values[7].map(StaleMarker.isStale) == true)
        #expect(values[8] == nil && values[9] == nil && values[10] == 1000 && values[11] == -.infinity)
        #expect(values[12] == 7 && values[13] == 7 && values[14] == 7)
        #expect(throws: PromQLError.self) { try SeriesNotation.expand("1 abc") }
        #expect(try SeriesNotation.metric(#"up{job="a", instance="b"}"#) == ["__name__": "up", "instance": "b", "job": "a"])
    }

    /// Inputs the fuzzer found (Fuzz/corpus/promtool-test): a bare `xN` crashed, huge repeat
    /// counts allocated without bound; now each is an error naming the token.
    @Test func seriesNotationFuzzFindings() {
        for text in ["x1", "\n x1 ", "_x9999999999", "1x99999999", "1+1x604800", "_x604800 1"] {
            let expanded = try? SeriesNotation.expand(text)
            #expect(expanded == nil, "\(text) expands to \(expanded?.count ?? 0) values")
        }
        #expect((try? SeriesNotation.expand("_x604799 1"))?.count == SeriesNotation.maxValues)
    }

    func rule(_ yaml: String) throws -> Rule {
        try #require(try RuleFileParser.parse("groups:\n  - name: g\n    rules:\n" + yaml, file: "r.yml").first?.rules.first)
    }

    @Test func alertStateMachineWithKeepFiringFor() throws {
        var state = AlertingRuleState(rule: try rule("      - alert: A\n        expr: up == 0\n        for: 2m\n        keep_firing_for: 1m\n"))
        let sample = Sample(labels: ["__name__": "up", "job": "x"], value: 0, timestamp: 0)
        func step(_ minute: Int64, _ present: Bool) throws -> AlertState? {
            let output = try state.update(with: present ? [sample] : [], at: minute * 60_000)
            return output.first { $0.labels.metricName == "ALERTS" }.flatMap { AlertState(rawValue: $0.labels["alertstate"] ?? "") }
        }
        #expect(try step(0, true) == .pending)
        #expect(try step(1, true) == .pending)
        #expect(try step(2, true) == .firing)
        #expect(try step(3, false) == .firing)  // kept firing for 1m
        #expect(try step(4, false) == nil)  // resolved
        #expect(state.active.values.first?.state == .inactive)
        #expect(try step(5, true) == .pending)  // a new episode starts pending
    }

    @Test func restoredAlertFiresAtOnce() throws {
        var state = AlertingRuleState(rule: try rule("      - alert: A\n        expr: up == 0\n        for: 10m\n"))
        let labels: Labels = ["alertname": "A", "job": "x"]
        state.restoredActiveAt = [labels: 0]
        let output = try state.update(with: [Sample(labels: ["__name__": "up", "job": "x"], value: 0, timestamp: 0)], at: 11 * 60_000)
        #expect(output.contains { $0.labels["alertstate"] == "firing" })
        #expect(output.contains { $0.labels.metricName == "ALERTS_FOR_STATE" && $0.value == 0 })
    }
}
