import ArgumentParser

/// `edgewatch completion bash|zsh|fish`: the shell completion script for every subcommand and
/// option, generated from the command definitions (so it never drifts from them).
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            Examples: edgewatch completion bash > /etc/bash_completion.d/edgewatch
                      edgewatch completion zsh > "${fpath[1]}/_edgewatch"
                      edgewatch completion fish > ~/.config/fish/completions/edgewatch.fish
            """
    )

    enum Shell: String, ExpressibleByArgument, CaseIterable {
        case bash, zsh, fish
    }

    @Argument(help: "bash, zsh or fish.")
    var shell: Shell

    func run() throws {
        let kind: CompletionShell
        switch shell {
        case .bash: kind = .bash
        case .zsh: kind = .zsh
        case .fish: kind = .fish
        }
        StandardOutput.write(Edgewatch.completionScript(for: kind))
    }
}
