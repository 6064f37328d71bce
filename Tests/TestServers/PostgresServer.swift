import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real PostgreSQL server (Debian's `postgresql` package) in a temporary directory, on a free
/// loopback port, with password (SCRAM-SHA-256) authentication over TCP; stopped and removed at
/// `stop()` or deinit. Under root, every PostgreSQL program runs as the `postgres` user.
public final class PostgresServer: Sendable {
    public let port: UInt16
    public let directory: String
    public let user = "edgewatch"
    public let password = "edgewatch-test-secret"
    private let binaries: String

    /// The directory of the newest installed PostgreSQL's programs, nil when none is installed.
    public static var binaries: String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// Whether tests may run: PostgreSQL is installed, or `EDGEWATCH_REQUIRE_PEERS=1` wants a
    /// missing one to fail them.
    public static var usable: Bool {
        binaries != nil || ProcessInfo.processInfo.environment["EDGEWATCH_REQUIRE_PEERS"] == "1"
    }

    public init() throws {
        guard let binaries = Self.binaries else { throw PostgresServerError("PostgreSQL is not installed (Debian's postgresql)") }
        self.binaries = binaries
        var template = Array("/tmp/edgewatch-pg-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw PostgresServerError("mkdtemp failed") }
        directory = String(cString: made)
        guard let port = LoopbackPort.free() else { throw PostgresServerError("no free loopback port") }
        self.port = port
        do {
            try prepare()
            try start()
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    deinit { stop() }

    /// `postgres://` URL of `database` for the test user.
    public func url(database: String = "postgres") -> String {
        "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)"
    }

    /// Stops the server at once (as a crash would) and starts it again on the same port and data.
    public func restart() throws {
        try pgctl(["stop", "-m", "immediate"])
        try start()
    }

    /// Stops the server (immediately) and removes its directory.
    public func stop() {
        guard FileManager.default.fileExists(atPath: directory) else { return }
        try? pgctl(["stop", "-m", "immediate"])
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func prepare() throws {
        try "\(password)\n".write(toFile: directory + "/password", atomically: true, encoding: .utf8)
        if getuid() == 0 { try run("/bin/chown", ["-R", "postgres:postgres", directory]) }
        try run(
            binaries + "/initdb",
            [
                "-D", directory + "/data", "-U", user, "--pwfile=" + directory + "/password", "--auth-host=scram-sha-256",
                "--auth-local=trust", "-E", "UTF8", "--locale=C", "--no-sync",
            ],
            asPostgres: true
        )
    }

    private func start() throws {
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        try pgctl(["start", "-w", "-t", "60", "-l", directory + "/server.log", "-o", options])
    }

    private func pgctl(_ arguments: [String]) throws {
        try run(binaries + "/pg_ctl", ["-D", directory + "/data"] + arguments, asPostgres: true)
    }

    /// Runs `program` to completion (at most 90 s), its output into a file. posix_spawn, not
    /// Foundation's Process, whose exit watch the server `pg_ctl start` leaves behind inherits.
    private func run(_ program: String, _ arguments: [String], asPostgres: Bool = false) throws {
        let argv = (asPostgres && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", program] : [program]) + arguments
        let log = directory + ".out"
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw PostgresServerError("cannot start \(argv[0]): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(90)
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw PostgresServerError("\(program) \(arguments.joined(separator: " ")) did not finish within 90 s")
            }
            usleep(10_000)
        }
        guard status == 0 else {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            throw PostgresServerError("\(program) \(arguments.joined(separator: " ")) failed (status \(status)): \(text.suffix(600))")
        }
    }
}

public struct PostgresServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
