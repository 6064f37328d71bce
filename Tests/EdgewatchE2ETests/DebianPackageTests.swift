import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `make deb`'s package, installed on this machine and removed again: lintian, dpkg, the unit, the
/// user and store directory, conffiles, remove keeping data and purge deleting it.
@Suite("Debian package", .serialized)
struct DebianPackageTests {
    /// The static release binary `make test` builds before the suite.
    static let binary = Harness.packageRoot.appendingPathComponent(".build/release/edgewatch").path

    static var available: Bool {
        let tools = ["/usr/bin/dpkg-deb", "/usr/bin/lintian", "/usr/bin/dpkg-shlibdeps", binary]
        return getuid() == 0 && tools.allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func installed() -> Bool {
        (try? Harness.run("/usr/bin/dpkg-query", ["-W", "-f", "${Status}", "edgewatch"]))?.stdout.contains("installed") ?? false
    }

    @Test("builds, passes lintian, installs, runs, removes keeping data, purges everything", .enabled(if: available || Harness.peersRequired))
    func installAndPurge() throws {
        #expect(!Self.installed(), "an edgewatch package is installed already; this test would replace it")
        guard !Self.installed() else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-deb-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            if Self.installed() { _ = try? Harness.run("/usr/bin/dpkg", ["--purge", "edgewatch"]) }
            try? FileManager.default.removeItem(atPath: directory)
        }
        let ldd = try Harness.run("/usr/bin/ldd", [Self.binary])
        #expect(!ldd.stdout.contains("libswift"), "the release binary is not built with --static-swift-stdlib: \(ldd.stdout)")
        let build = try Harness.run(
            "/usr/bin/python3",
            [Harness.packageRoot.path + "/scripts/make_deb.py", "--binary", Self.binary, "--output-dir", directory]
        )
        #expect(build.status == 0, "\(build.stderr)")
        let package = build.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let lintian = try Harness.run("/usr/bin/lintian", ["--fail-on", "error", package])
        #expect(lintian.status == 0 && !lintian.stdout.contains("E: "), "lintian: \(lintian.stdout)\(lintian.stderr)")
        let version = try Harness.run("/usr/bin/dpkg-deb", ["-f", package, "Version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let install = try Harness.run("/usr/bin/dpkg", ["-i", package])
        #expect(install.status == 0, "dpkg -i: \(install.stdout)\(install.stderr)")
        #expect(try Harness.run("/usr/bin/edgewatch", ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == version)
        let verify = try Harness.run("/usr/bin/systemd-analyze", ["verify", "/lib/systemd/system/edgewatch.service"])
        #expect(verify.status == 0, "systemd-analyze verify: \(verify.stdout)\(verify.stderr)")
        var info = stat()
        #expect(stat("/var/lib/edgewatch", &info) == 0 && info.st_mode & 0o777 == 0o750)
        let owner = try Harness.run("/usr/bin/stat", ["-c", "%U:%G", "/var/lib/edgewatch"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(owner == "edgewatch:edgewatch")
        let conffiles = try Harness.run("/usr/bin/dpkg-query", ["-W", "-f", "${Conffiles}", "edgewatch"]).stdout
        #expect(conffiles.contains("/etc/edgewatch/edgewatch.yaml") && conffiles.contains("/etc/edgewatch/rules.d/edge.yaml"))
        #expect(FileManager.default.fileExists(atPath: "/usr/share/man/man1/edgewatch.1.gz"))
        #expect(FileManager.default.fileExists(atPath: "/usr/share/bash-completion/completions/edgewatch"))
        // The installed binary checks the installed rule set, and with the installed config evaluates it.
        #expect(try Harness.run("/usr/bin/edgewatch", ["rules", "check", "/etc/edgewatch/rules.d/edge.yaml"]).status == 0)
        try Self.evaluatesInstalledRules(directory: directory)

        // Remove keeps the store and the configuration; purge deletes both and the user.
        try "store".write(toFile: "/var/lib/edgewatch/store.db", atomically: true, encoding: .utf8)
        #expect(try Harness.run("/usr/bin/dpkg", ["--remove", "edgewatch"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: "/usr/bin/edgewatch"))
        #expect(FileManager.default.fileExists(atPath: "/var/lib/edgewatch/store.db"))
        #expect(FileManager.default.fileExists(atPath: "/etc/edgewatch/edgewatch.yaml"))
        #expect(try Harness.run("/usr/bin/dpkg", ["--purge", "edgewatch"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: "/var/lib/edgewatch"))
        #expect(!FileManager.default.fileExists(atPath: "/etc/edgewatch"))
        #expect(try Harness.run("/usr/bin/getent", ["passwd", "edgewatch"]).status != 0)
    }

    /// The installed agent on the installed config (store and listener moved to the scratch
    /// directory) evaluates the edge rule set from `/etc/edgewatch/rules.d`: zero edits.
    static func evaluatesInstalledRules(directory: String) throws {
        let port = try NodeExporterPeer.freePort()
        let agent = try AgentProcess(
            directory: directory,
            config: "/etc/edgewatch/edgewatch.yaml",
            port: port,
            extra: ["--store", directory + "/store.db", "--interval", "1s"],
            executable: "/usr/bin/edgewatch"
        )
        defer {
            agent.signal(SIGTERM)
            _ = agent.wait()
        }
        var groups: [[String: Any]] = []
        let loaded = try AgentRulesTests.waitUntil(timeout: 15) {
            let data = (try? AgentRulesTests.json(port, "/api/v1/rules"))?["data"] as? [String: Any]
            groups = (data?["groups"] as? [[String: Any]]) ?? []
            return !groups.isEmpty
        }
        #expect(loaded, "the installed agent serves no rule groups: \(agent.log.suffix(1500))")
        let files = Set(groups.compactMap { $0["file"] as? String })
        let names = groups.compactMap { $0["name"] as? String }
        #expect(files == ["/etc/edgewatch/rules.d/edge.yaml"], "\(files)")
        #expect(names.contains("edge-node") && names.contains("edge-pods"), "\(names)")
    }
}
