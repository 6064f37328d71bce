import Testing

/// `edgewatch completion`: scripts generated from the command definitions.
@Suite("Shell completion")
struct CompletionTests {
    @Test("bash, zsh and fish scripts name every subcommand and the export options; bash parses its script")
    func scripts() throws {
        for shell in ["bash", "zsh", "fish"] {
            let script = try Harness.run(Harness.edgewatch, ["completion", shell])
            #expect(script.status == 0)
            for word in ["agent", "collect", "query", "events", "top", "export", "import", "rules", "hub", "resolution", "journal-dir"] {
                #expect(script.stdout.contains(word), "\(shell) script lacks \(word)")
            }
        }
        let bash = try Harness.run(Harness.edgewatch, ["completion", "bash"]).stdout
        #expect(try Harness.run("/bin/bash", ["-n"], input: bash).status == 0)
        let refused = try Harness.run(Harness.edgewatch, ["completion", "tcsh"])
        #expect(refused.status != 0 && refused.stderr.contains("'bash', 'zsh' or 'fish'"), "\(refused.stderr)")
    }
}
