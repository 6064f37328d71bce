import EdgewatchRules

extension FuzzTarget {
    /// Rule files, promtool test files and the Go templates of annotations.
    static let ruleTargets: [FuzzTarget] = [
        FuzzTarget(name: "rule-file") { bytes in
            guard let groups = try? RuleFileParser.parse(String(decoding: bytes, as: UTF8.self), file: "rules.yaml") else { return }
            _ = groups.count
        },
        FuzzTarget(name: "promtool-test") { bytes in
            _ = try? RuleTestFile.parse(String(decoding: bytes, as: UTF8.self), file: "tests.yaml")
            _ = try? SeriesNotation.expand(String(decoding: bytes, as: UTF8.self))
        },
        FuzzTarget(name: "template") { bytes in
            var input = FuzzInput(bytes)
            let value = input.double()
            guard let template = try? Template(input.restText(), name: "summary") else { return }
            let data = Template.Data(
                labels: ["instance": "node-1:9100", "job": "node", "severity": "critical"],
                externalLabels: ["cluster": "edge-7"],
                externalURL: "http://edge-7.local:9909",
                value: value
            )
            guard let output = try? template.render(data) else { return }
            FuzzCheck.require(output.utf8.count <= Template.maximumOutputBytes, "template output of \(output.utf8.count) bytes")
        },
    ]
}
