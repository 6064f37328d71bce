import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An agent that ran a few seconds with an alert rule and an uplink to hub A (raw, 2 s windows),
/// then stopped, and its export bundle: what the export/import tests share.
final class ExportRecording {
    let scratch: AgentScratch
    let hubA: HubProcess
    let bundle: String
    /// A bundle written while the agent was running (the store is read read-only, beside its writer).
    let liveBundle: String
    let node = "test-node"

    init() throws {
        scratch = try AgentScratch(interval: "200ms", flush: "400ms")
        // Shared through a static, so never deinitialised: removed when the test process exits.
        LeftoverProcesses.remove(atExit: scratch.path)
        hubA = try HubProcess()
        try (hubA.token + "\n").write(toFile: scratch.path + "/token", atomically: true, encoding: .utf8)
        let rules = scratch.path + "/rules.yml"
        try """
        groups:
        - name: export
          interval: 1s
          rules:
          - alert: ExportTestAlways
            expr: vector(1)
            for: 1s
            labels: {severity: info}
            annotations: {summary: "always on at {{ $value }}"}
        """.write(toFile: rules, atomically: true, encoding: .utf8)
        try (try String(contentsOfFile: scratch.config, encoding: .utf8)).appending(
            """

            uplink:
              url: http://127.0.0.1:\(hubA.port)
              token_file: \(scratch.path)/token
              resolution: raw
              window: 2s
              clock_sync_wait: 0s
            """
        ).write(toFile: scratch.config, atomically: true, encoding: .utf8)
        let agent = try AgentProcess(
            directory: scratch.path,
            config: scratch.config,
            port: try NodeExporterPeer.freePort(),
            extra: ["--rules", rules]
        )
        // Several windows go up while it runs; the last ones are left open when it stops.
        sleep(6)
        liveBundle = scratch.path + "/live.tar.gz"
        let live = try Harness.run(Harness.edgewatch, ["export", "--store", scratch.store, "--since", "1h", "-o", liveBundle, "-q"])
        guard live.status == 0 else { throw HarnessError("export while the agent runs failed: \(live.stderr)") }
        sleep(3)
        agent.signal(SIGTERM)
        guard agent.wait(timeout: 20) == 0 else { throw HarnessError("agent did not stop cleanly:\n\(agent.log.suffix(2000))") }
        bundle = scratch.path + "/bundle.tar.gz"
        let export = try Harness.run(
            Harness.edgewatch,
            ["export", "--store", scratch.store, "--since", "1h", "--resolution", "raw", "-o", bundle]
        )
        guard export.status == 0 else { throw HarnessError("export failed: \(export.stderr)") }
    }

    /// Runs `edgewatch import` of `bundle` into `hub`; the hub's JSON answer.
    func importBundle(_ bundle: String? = nil, into hub: HubProcess, caFile: String? = nil) throws -> [String: Any] {
        let tokenFile = scratch.path + "/token-\(hub.port)"
        try (hub.token + "\n").write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let result = try Harness.run(
            Harness.edgewatch,
            [
                "import", bundle ?? self.bundle, "--hub", "\(caFile == nil ? "http" : "https")://127.0.0.1:\(hub.port)", "--token-file", tokenFile,
                "--node-secret-file", scratch.path + "/node-secret",
            ] + (caFile.map { ["--ca-file", $0] } ?? [])
        )
        guard result.status == 0, let colon = result.stdout.range(of: ": {") else {
            throw HarnessError("import failed (\(result.status)): \(result.stdout) \(result.stderr)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout[result.stdout.index(before: colon.upperBound)...].utf8))
        return ((json as? [String: Any])?["data"] as? [String: Any]) ?? [:]
    }

    /// POSTs raw bytes to the hub's import endpoint with the node's credentials (no local check).
    func post(_ file: String, to hub: HubProcess, node: String? = nil, secret: String? = nil) throws -> (status: Int, body: String) {
        let result = try Harness.run(
            "/usr/bin/curl",
            [
                "-s", "-o", "-", "-w", "\n%{http_code}", "--data-binary", "@" + file, "-H", "Content-Type: application/gzip",
                "-H", "Authorization: Bearer " + hub.token, "-H", "X-Edgewatch-Node: " + (node ?? self.node),
                "-H",
                "X-Edgewatch-Node-Secret: "
                    + (try secret
                        ?? String(contentsOfFile: scratch.path + "/node-secret", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)),
                "http://127.0.0.1:\(hub.port)/api/v1/import",
            ]
        )
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }
}
