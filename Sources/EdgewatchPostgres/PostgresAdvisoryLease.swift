import Synchronization

/// A session-level advisory lock held on a connection of its own, so that one process among
/// several replicas does a job (sends a remote_write target's queue) while the others wait. The
/// lock goes with the session: when the holder dies or loses its connection, another takes it.
public final class PostgresAdvisoryLease: Sendable {
    private let conninfo: String
    /// The lock's name (hashed by the server with `hashtextextended`).
    private let name: String
    /// The connection holding the lock, nil when none is held.
    private let holder = Mutex<PostgresConnection?>(nil)

    public init(conninfo: String, name: String) {
        self.conninfo = conninfo
        self.name = name
    }

    /// Whether this process holds the lock now: takes it when it is free, and checks that the
    /// session holding it still lives (a lost connection means the lock is gone). Blocks.
    public func isHeld() -> Bool {
        holder.withLock { connection in
            if let held = connection {
                if held.isUsable, (try? held.execute("SELECT 1")) != nil { return true }
                connection = nil
            }
            guard let candidate = try? PostgresConnection(conninfo: conninfo),
                let taken = try? candidate.query("SELECT pg_try_advisory_lock(hashtextextended($1, 0))", [.text(name)]).bool(0, 0), taken
            else { return false }
            connection = candidate
            return true
        }
    }

    /// Lets the lock go (closing its connection).
    public func release() {
        holder.withLock { $0 = nil }
    }
}
