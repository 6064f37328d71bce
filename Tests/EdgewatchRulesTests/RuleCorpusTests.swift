import EdgewatchRules
import Foundation
import Testing

/// The rule unit-test corpus (scripts/make-rule-corpus.py) run through Debian's promtool and
/// `edgewatch rules test`: every test group gets the same verdict from both, and the verdict
/// its file name promises (pass-* passes, fail-* fails).
@Suite struct RuleCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/corpus")

    static var testFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).filter { $0.hasSuffix(".test.yml") }.sorted()
    }

    static var ruleFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? []).filter { $0.hasSuffix(".rules.yml") }.sorted()
    }

    @Test func corpusIsLargeAndHasBothVerdicts() {
        #expect(Self.testFiles.count >= 40)
        #expect(Self.testFiles.filter { $0.hasPrefix("fail-") }.count >= 10)
        #expect(Self.testFiles.filter { $0.hasPrefix("pass-") }.count >= 25)
    }

    @Test(arguments: testFiles)
    func sameVerdictAsPromtool(_ name: String) throws {
        let path = Self.corpus.appendingPathComponent(name).path
        let edgewatch = try Promtool.run(["rules", "test", path], executable: Promtool.edgewatch)
        let expected: Int32 = name.hasPrefix("pass-") ? 0 : 1
        #expect(edgewatch.status == expected, "edgewatch:\n\(edgewatch.output)")
        guard let promtool = Promtool.path else {
            #expect(!Promtool.required, "promtool (Debian package prometheus) is required")
            return
        }
        let reference = try Promtool.run(["test", "rules", path], executable: promtool)
        #expect(reference.status == edgewatch.status, "promtool:\n\(reference.output)\nedgewatch:\n\(edgewatch.output)")
    }

    @Test func shippedRulesPassTheirUnitTestsUnderBothTools() throws {
        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config")
        let tests = config.appendingPathComponent("rules.test.yaml").path
        let edgewatch = try Promtool.run(["rules", "test", tests], executable: Promtool.edgewatch)
        #expect(edgewatch.status == 0, "\(edgewatch.output)")
        for file in ["rules.yaml", "node-mixin.rules.yaml"] {
            let check = try Promtool.run(["rules", "check", config.appendingPathComponent(file).path], executable: Promtool.edgewatch)
            #expect(check.status == 0, "\(check.output)")
        }
        guard let promtool = Promtool.path else { return }
        #expect(try Promtool.run(["test", "rules", tests], executable: promtool).status == 0)
        for file in ["rules.yaml", "node-mixin.rules.yaml"] {
            #expect(try Promtool.run(["check", "rules", config.appendingPathComponent(file).path], executable: promtool).status == 0)
        }
    }

    @Test("the rule sets built into the binary are the files in config/ (scripts/embed_rules.py), and parse")
    func builtinSetsMatchTheirFiles() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(BuiltinRuleSets.names == ["edge", "node-mixin"])
        for set in BuiltinRuleSets.all {
            let file = try String(contentsOf: root.appendingPathComponent(set.source), encoding: .utf8)
            #expect(set.text == file, "\(set.source) changed: run scripts/embed_rules.py (make embed)")
            let groups = try BuiltinRuleSets.groups(named: set.name)
            #expect(!groups.isEmpty && groups.allSatisfy { $0.file == "builtin:" + set.name })
            let shown = try Promtool.run(["rules", "show", set.name], executable: Promtool.edgewatch)
            #expect(shown.status == 0 && shown.output == file)
        }
        let unknown = try Promtool.run(["rules", "show", "nodes"], executable: Promtool.edgewatch)
        #expect(unknown.status != 0 && unknown.output.contains("there are: edge, node-mixin"), "\(unknown.output)")
    }

    @Test func checkAgreesWithPromtool() throws {
        for name in Self.ruleFiles {
            let path = Self.corpus.appendingPathComponent(name).path
            let edgewatch = try Promtool.run(["rules", "check", path], executable: Promtool.edgewatch)
            #expect(edgewatch.status == (name.hasPrefix("broken") ? 1 : 0), "\(name): \(edgewatch.output)")
            if let promtool = Promtool.path {
                let reference = try Promtool.run(["check", "rules", path], executable: promtool)
                #expect(reference.status == edgewatch.status, "\(name): promtool \(reference.output) edgewatch \(edgewatch.output)")
            }
        }
    }
}
