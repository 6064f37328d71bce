import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A tmux server on a private socket, one session running a command.
final class TmuxSession {
    let socket = "edgewatch-top-\(UUID().uuidString.prefix(8))"
    let tmux: String

    init(tmux: String, command: String, width: Int, height: Int) throws {
        self.tmux = tmux
        try run(["-f", "/dev/null", "new-session", "-d", "-s", "top", "-x", String(width), "-y", String(height), command])
        try run(["set-option", "-g", "window-size", "manual"])
    }

    deinit { _ = try? run(["kill-server"]) }

    /// Runs tmux with posix_spawn and waitpid (Foundation's Process loses track of the tmux
    /// client that starts the server), its output through a file.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-\(UUID().uuidString)").path
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([tmux, "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, tmux, &actions, nil, argv, environ) == 0 else { throw HarnessError("cannot start \(tmux)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    func keys(_ keys: String...) throws { try run(["send-keys", "-t", "top"] + keys) }

    func screen() -> String { (try? run(["capture-pane", "-p", "-t", "top"])) ?? "" }

    func resize(_ width: Int, _ height: Int) throws { try run(["resize-window", "-t", "top", "-x", String(width), "-y", String(height)]) }

    /// Waits until the screen satisfies `condition`; returns the last screen.
    func wait(_ seconds: Double = 15, _ condition: (String) -> Bool) -> (Bool, String) {
        let deadline = Date().addingTimeInterval(seconds)
        var text = screen()
        while Date() < deadline {
            if condition(text) { return (true, text) }
            usleep(100_000)
            text = screen()
        }
        return (condition(text), text)
    }
}

/// The real `edgewatch top` in tmux against a store the real agent writes, with a stress-ng pod
/// in a real kubepods cgroup and a firing alert.
@Suite(
    "top in a terminal",
    .serialized,
    .enabled(
        if: getuid() == 0 && FileManager.default.fileExists(atPath: "/sys/fs/cgroup") && (Harness.which(["tmux"]) != nil || Harness.peersRequired)
    )
)
struct TopTerminalTests {
    @Test("pods with CPU and memory against the limit, sort, filter, detail, resize 80x24 and 200x50, q exits 0 and restores the terminal")
    func interactive() throws {
        let stress = try #require(Harness.which(["stress-ng"]), "stress-ng is not installed (make test installs it)")
        let tmux = try #require(Harness.which(["tmux"]), "tmux is required (make test installs it)")
        let cgroup = try KubepodsCgroup(driver: .systemd)
        defer { cgroup.remove() }
        let scratch = try AgentScratch()
        let rootfs = scratch.path + "/rootfs"
        try RealCgroupTests.logTree(rootfs, uid: cgroup.uid, container: cgroup.containerID)
        cgroup.set(cgroup.version == 1 ? "memory.limit_in_bytes" : "memory.max", "134217728")
        try """
        groups:
          - name: top-test
            rules:
              - alert: StressPodRunning
                expr: container_memory_working_set_bytes{pod="stress-demo", container="stress"} > 1000000
                labels: {severity: info}
        """.write(toFile: scratch.path + "/rules.yaml", atomically: true, encoding: .utf8)
        try """
        node:
          name: test-node
        collect:
          interval: 500ms
          collectors: [cgroup, cpu, meminfo, loadavg, stat, filesystem]
          rootfs: \(rootfs)
        store:
          path: \(scratch.store)
          flush_interval: 500ms
        rules:
          evaluation_interval: 1s
          files: [\(scratch.path)/rules.yaml]
        """.write(toFile: scratch.config, atomically: true, encoding: .utf8)
        let process = try cgroup.runStress(stress, "--vm 1 --vm-bytes 48M --vm-keep --cpu 1 --cpu-load 40 --timeout 60s --quiet")
        defer { cgroup.killAll(process) }
        let agent = try AgentProcess(directory: scratch.path, config: scratch.config, port: try NodeExporterPeer.freePort())
        defer {
            agent.signal(SIGTERM)
            _ = agent.wait()
        }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: scratch.store) { usleep(100_000) }
        usleep(1_500_000)
        let out = scratch.path
        // The status file is written last: once it exists, the settings after exit are complete.
        let command =
            "stty -a > \(out)/stty-before; \(Harness.edgewatch) top --store \(scratch.store) --refresh 500ms; code=$?; stty -a > \(out)/stty-after; echo $code > \(out)/status; sleep 60"
        let session = try TmuxSession(tmux: tmux, command: command, width: 120, height: 40)
        var (found, screen) = session.wait(30) { $0.contains("stress-demo") && $0.contains("firing") }
        #expect(found, "pod or alert missing:\n\(screen)\n\(agent.log.suffix(1000))")
        let row = screen.split(separator: "\n").first { $0.contains("stress-demo") } ?? ""
        #expect(row.contains("edge") && row.contains("stress") && row.contains("%"), "row: \(row)")
        try session.keys("/")
        try session.keys("-l", "coredns")
        try session.keys("Enter")
        (found, screen) = session.wait { $0.contains("PODS (0 matching \"coredns\"") }
        #expect(found, "filter:\n\(screen)")
        try session.keys("/")
        try session.keys("Escape")
        try session.keys("s")
        (found, screen) = session.wait { $0.contains("sort THR%") && $0.contains("stress-demo") }
        #expect(found, "sort:\n\(screen)")
        try session.keys("/")
        try session.keys("-l", "stress-demo")
        try session.keys("Enter")
        try session.keys("Enter")
        (found, screen) = session.wait { $0.contains("POD edge/stress-demo") && $0.contains("of limit 128M") }
        #expect(found, "detail:\n\(screen)")
        try session.keys("Enter")
        try session.keys("/")
        try session.keys("Escape")
        for (width, height) in [(80, 24), (200, 50)] {
            try session.resize(width, height)
            (found, screen) = session.wait { text in
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                return text.contains("PODS") && text.contains("ALERTS") && text.contains("EVENTS") && text.contains("q quit")
                    && text.contains("stress-demo") && lines.allSatisfy { $0.count <= width }
            }
            #expect(found, "\(width)x\(height):\n\(screen)")
        }
        try session.keys("q")
        var status = ""
        for _ in 0..<100 where status.isEmpty {
            usleep(100_000)
            status = (try? String(contentsOfFile: out + "/status", encoding: .utf8)) ?? ""
        }
        #expect(status.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        // The first line holds the size, which the resizes changed on purpose.
        let before = try String(contentsOfFile: out + "/stty-before", encoding: .utf8).split(separator: "\n").dropFirst()
        let after = ((try? String(contentsOfFile: out + "/stty-after", encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
        #expect(before == after, "terminal not restored:\n\(before)\n---\n\(after)")
        // SIGTERM and SIGHUP also restore the terminal (exit 128 + the signal).
        for (signal, code) in [("TERM", "143"), ("HUP", "129")] {
            try? FileManager.default.removeItem(atPath: out + "/status")
            let killed = try TmuxSession(tmux: tmux, command: command, width: 100, height: 30)
            _ = killed.wait { $0.contains("PODS") }
            _ = try Harness.run("/usr/bin/pkill", ["-\(signal)", "-f", "edgewatch top --store \(scratch.store)"])
            var killedStatus = ""
            for _ in 0..<100 where killedStatus.isEmpty {
                usleep(100_000)
                killedStatus = (try? String(contentsOfFile: out + "/status", encoding: .utf8)) ?? ""
            }
            #expect(killedStatus.trimmingCharacters(in: .whitespacesAndNewlines) == code)
            let restored = ((try? String(contentsOfFile: out + "/stty-after", encoding: .utf8)) ?? "").split(separator: "\n").dropFirst()
            #expect(restored == before, "terminal not restored after SIG\(signal)")
        }
    }
}
