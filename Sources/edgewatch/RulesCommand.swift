import ArgumentParser
import EdgewatchConfig
import EdgewatchCore
import EdgewatchRules

/// `edgewatch rules check|test`: promtool-compatible rule tooling.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check Prometheus rule files and run their unit tests (promtool-compatible).",
        subcommands: [Check.self, Test.self, Show.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check rule files for syntax, PromQL and template errors (like `promtool check rules`).",
            discussion: """
                Examples: edgewatch rules check config/rules.yaml
                          edgewatch rules check /etc/edgewatch/rules.d/*.yaml
                Exit status 1 when any file has an error.
                """
        )

        @Argument(help: "Rule files.")
        var files: [String]

        func run() throws {
            var failed = false
            for path in files {
                StandardOutput.write("Checking \(path)\n")
                do {
                    let groups = try RuleFileParser.parse(try LocalFiles.read(path), file: path)
                    let count = groups.reduce(0) { $0 + $1.rules.count }
                    StandardOutput.write("  SUCCESS: \(count) rules found\n\n")
                } catch {
                    failed = true
                    StandardError.write("  FAILED:\n\(error)\n\n")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a rule set built into the binary (rules.builtin), to copy and edit.",
            discussion: """
                Examples: edgewatch rules show edge > /etc/edgewatch/rules.d/edge.yaml
                          edgewatch rules show node-mixin
                """
        )

        @Argument(help: "The set's name: edge or node-mixin.")
        var name: String

        func run() throws {
            guard let set = BuiltinRuleSets.named(name) else {
                throw ValidationError("no built-in rule set \"\(name)\"; there are: \(BuiltinRuleSets.names.joined(separator: ", "))")
            }
            StandardOutput.write(set.text)
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run rule unit tests in promtool's test file format (like `promtool test rules`).",
            discussion: """
                Examples: edgewatch rules test config/rules.test.yaml
                Exit status 1 when any test fails.
                """
        )

        @Argument(help: "Rule unit-test files.")
        var files: [String]

        func run() throws {
            let runner = RuleTestRunner()
            var failed = false
            for path in files {
                let result = runner.run(path: path)
                if result.passed {
                    StandardOutput.write(result.report + "\n")
                } else {
                    failed = true
                    StandardError.write(result.report + "\n")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }
}
