import EdgewatchStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The logs part of a bundle: journal files made by systemd-journal-remote, journalctl as the
/// peer for what a range and units hold, and capture that outlives a RAM-only journal.
@Suite("Journal logs in export bundles", .serialized)
struct LogsExportTests {
    static let available = JournalFixture.remote != nil && Harness.which(["journalctl"]) != nil
    static let bootA = "0123456789abcdef0123456789abcdef"
    static let bootB = "fedcba9876543210fedcba9876543210"
    static let start: Int64 = 1_795_000_000_000_000

    /// The `logs.jsonl` of a bundle, one dictionary per line.
    static func logs(_ bundle: String) throws -> [[String: Any]] {
        let text = try Harness.run("/bin/tar", ["xzOf", bundle, "logs.jsonl"]).stdout
        return try text.split(separator: "\n").map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw HarnessError("not an object: \(line)")
            }
            return object
        }
    }

    @Test(
        "logs.jsonl holds exactly the journal entries of the range and units asked (journalctl is the peer)",
        .enabled(if: available || Harness.peersRequired)
    )
    func exportHoldsTheRangeAndUnits() throws {
        let scratch = try AgentScratch()
        let journal = scratch.path + "/journal"
        try JournalFixture.write(
            JournalFixture.boot(Self.bootA, start: Self.start, count: 40, tag: "a")
                + JournalFixture.boot(Self.bootB, start: Self.start + 100_000_000, count: 40, tag: "b"),
            directory: journal,
            name: "system"
        )
        // An empty store: only the journal is read.
        try StoreWriter(configuration: StoreConfiguration(path: scratch.store)).close()
        let from = (Self.start + 20_000_000) / 1_000_000, to = (Self.start + 119_000_000) / 1_000_000
        let bundle = scratch.path + "/logs.tar.gz"
        let export = try Harness.run(
            Harness.edgewatch,
            [
                "export", "--store", scratch.store, "--from", "\(from)", "--to", "\(to)", "--what", "logs", "--units", "k3s,containerd,kernel",
                "--journal-dir", journal, "-o", bundle,
            ]
        )
        #expect(export.status == 0, "\(export.stderr)")
        let peer = try Harness.run("/bin/journalctl", ["-D", journal, "-o", "json", "--since", "@\(from)", "--until", "@\(to)"])
        let expected = try peer.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let entry = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            let wanted =
                ["k3s.service", "containerd.service"].contains(entry["_SYSTEMD_UNIT"] as? String ?? "") || entry["_TRANSPORT"] as? String == "kernel"
            return wanted ? entry["__CURSOR"] as? String : nil
        }
        let lines = try Self.logs(bundle)
        #expect(lines.compactMap { $0["cursor"] as? String } == expected)
        #expect(expected.count == 30, "journalctl listed \(expected.count)")
        #expect(lines.allSatisfy { $0["source"] as? String == "journal" })
        #expect(Set(lines.compactMap { $0["boot_id"] as? String }) == [Self.bootA, Self.bootB])
        #expect(lines.contains { ($0["message"] as? String)?.contains("\"quotes\" and ünïcode") == true })
    }

    @Test(
        "entries captured at warning and above survive a reboot that loses the journal; export merges without duplicates",
        .enabled(if: available || Harness.peersRequired)
    )
    func captureSurvivesReboot() throws {
        let scratch = try AgentScratch()
        let journal = scratch.path + "/journal"
        try (try String(contentsOfFile: scratch.config, encoding: .utf8)).appending(
            "\nlogs:\n  journal_dir: \(journal)\n  units: [k3s, containerd, kernel]\n  capture_priority: warning\n"
        ).write(toFile: scratch.config, atomically: true, encoding: .utf8)
        try JournalFixture.write(JournalFixture.boot(Self.bootA, start: Self.start, count: 20, tag: "a"), directory: journal, name: "system")
        try runAgent(scratch, until: { $0 >= 9 })
        // The reboot: a RAM-only journal is gone, the new boot writes a new one.
        try FileManager.default.removeItem(atPath: journal)
        try JournalFixture.write(
            JournalFixture.boot(Self.bootB, start: Self.start + 100_000_000, count: 20, tag: "b"),
            directory: journal,
            name: "system"
        )
        try runAgent(scratch, until: { $0 >= 18 })
        let bundle = scratch.path + "/logs.tar.gz"
        let export = try Harness.run(
            Harness.edgewatch,
            [
                "export", "--store", scratch.store, "--from", "\(Self.start / 1_000_000 - 1)", "--to", "\(Self.start / 1_000_000 + 200)", "--what",
                "logs",
                "--units", "k3s,containerd,kernel", "--journal-dir", journal, "-o", bundle,
            ]
        )
        #expect(export.status == 0, "\(export.stderr)")
        let lines = try Self.logs(bundle)
        let cursors = lines.compactMap { $0["cursor"] as? String }
        #expect(Set(cursors).count == cursors.count, "a cursor appears twice")
        // Boot A: only what was captured (priority <= 4, wanted units); boot B: the journal, every priority.
        let fromA = lines.filter { $0["boot_id"] as? String == Self.bootA }
        let fromB = lines.filter { $0["boot_id"] as? String == Self.bootB }
        let wantedA = JournalFixture.boot(Self.bootA, start: Self.start, count: 20, tag: "a").filter {
            $0.unit != "other.service" && $0.priority <= 4
        }
        #expect(fromA.compactMap { $0["message"] as? String } == wantedA.map(\.message))
        #expect(fromA.allSatisfy { $0["source"] as? String == "captured" })
        #expect(fromB.count == 15 && fromB.allSatisfy { $0["source"] as? String == "journal" }, "\(fromB.count) boot B entries")
        let times = lines.compactMap { $0["realtime_us"] as? Int64 }
        #expect(times == times.sorted())
    }

    /// Runs the agent until the store holds `done(count)` captured entries, then stops it.
    private func runAgent(_ scratch: AgentScratch, until done: (Int) -> Bool) throws {
        let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        let deadline = Date().addingTimeInterval(20)
        var count = 0
        while Date() < deadline {
            count = (try? StoreReader(path: scratch.store).logs(from: 0, to: .max / 1000).count) ?? 0
            if done(count) { break }
            usleep(200_000)
        }
        agent.signal(SIGTERM)
        #expect(agent.wait(timeout: 20) == 0)
        #expect(done(count), "captured \(count) entries\n\(agent.log.suffix(1500))")
    }

    @Test("podlogs.jsonl holds the kubelet's container log lines of the range, rotated and gzipped files included")
    func podLogs() throws {
        let scratch = try AgentScratch()
        try StoreWriter(configuration: StoreConfiguration(path: scratch.store)).close()
        let pods = scratch.path + "/pods"
        let dns = pods + "/kube-system_coredns-5d78c9869d-abcde_1111-2222/coredns"
        let web = pods + "/default_web-0_3333-4444/nginx"
        try FileManager.default.createDirectory(atPath: dns, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: web, withIntermediateDirectories: true)
        try """
        2026-11-30T09:59:59.999999999Z stdout F before the range
        2026-11-30T10:00:01.000000001Z stdout F rotated and gzipped
        """.appending("\n").write(toFile: dns + "/0.log.20261130-100100", atomically: true, encoding: .utf8)
        #expect(try Harness.run("/bin/gzip", [dns + "/0.log.20261130-100100"]).status == 0)
        try """
        2026-11-30T10:02:00.5Z stderr P [WARNING] plugin/health: 
        2026-11-30T10:02:00.6Z stderr F lameduck "quoted"
        not a CRI line
        2026-11-30T10:03:00Z stdout F the last line in range
        2026-11-30T11:00:00Z stdout F after the range
        """.appending("\n").write(toFile: dns + "/0.log", atomically: true, encoding: .utf8)
        try "2026-11-30T10:01:30.25Z stdout F GET / 200\n".write(toFile: web + "/0.log", atomically: true, encoding: .utf8)
        let bundle = scratch.path + "/pods.tar.gz"
        let export = try Harness.run(
            Harness.edgewatch,
            [
                "export", "--store", scratch.store, "--from", "2026-11-30T10:00:00Z", "--to", "2026-11-30T10:30:00Z", "--what", "podlogs",
                "--pod-logs-dir", pods, "-o", bundle,
            ]
        )
        #expect(export.status == 0, "\(export.stderr)")
        let text = try Harness.run("/bin/tar", ["xzOf", bundle, "podlogs.jsonl"]).stdout
        let lines = try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(
            lines.map { $0["message"] as? String ?? "" } == [
                "GET / 200", "rotated and gzipped", "[WARNING] plugin/health: lameduck \"quoted\"", "the last line in range",
            ]
        )
        #expect(
            lines.map { $0["pod"] as? String ?? "" } == ["web-0", "coredns-5d78c9869d-abcde", "coredns-5d78c9869d-abcde", "coredns-5d78c9869d-abcde"]
        )
        #expect(lines.first?["namespace"] as? String == "default" && lines.first?["container"] as? String == "nginx")
        #expect(lines[2]["stream"] as? String == "stderr" && lines[2]["timestamp_ms"] as? Int64 == 1_796_032_920_600)
    }

    @Test("without libsystemd: logs.enabled true stops the agent with 78, export notes the journal it could not read")
    func withoutLibsystemd() throws {
        let scratch = try AgentScratch()
        let missing = ["EDGEWATCH_SYSTEMD_LIBRARY": "/nonexistent/libsystemd.so.0"]
        try (try String(contentsOfFile: scratch.config, encoding: .utf8)).appending("\nlogs:\n  enabled: true\n")
            .write(toFile: scratch.config, atomically: true, encoding: .utf8)
        let agent = try Harness.run(Harness.edgewatch, ["agent", "--config", scratch.config, "--listen", ""], timeout: 30, environment: missing)
        #expect(agent.status == 78, "\(agent.stderr.suffix(500))")
        #expect(agent.stderr.contains("logs.enabled is true but libsystemd.so.0 is not installed"), "\(agent.stderr.suffix(500))")
        let bundle = scratch.path + "/b.tar.gz"
        let export = try Harness.run(
            Harness.edgewatch,
            ["export", "--store", scratch.store, "--since", "1h", "--what", "logs", "-o", bundle, "-q"],
            environment: missing
        )
        #expect(export.status == 0, "\(export.stderr)")
        let manifest = try Harness.run("/bin/tar", ["xzOf", bundle, "manifest.json"]).stdout
        #expect(manifest.contains("logs: the live journal was not read: libsystemd.so.0 is not installed"), "\(manifest)")
    }
}
