import Synchronization

/// A fixed number of connections to one PostgreSQL database, each lent to one caller at a time.
/// Calls block (use NIO's blocking-I/O pool). A connection is opened on first use and reopened
/// after it is lost, so a restarted server costs the callers in flight an error, not the pool.
public final class PostgresPool: Sendable {
    private let conninfo: String
    private let slots: [Slot]
    private let turn = Atomic<Int>(0)

    /// Opens the first connection at once, so that a wrong URL, password or a missing libpq is
    /// reported at start. `conninfo` is a `postgres://` URI or a libpq keyword string.
    public init(conninfo: String, size: Int) throws(PostgresError) {
        self.conninfo = conninfo
        let first = try PostgresConnection(conninfo: conninfo)
        var slots = [Slot(first)]
        while slots.count < max(size, 1) { slots.append(Slot(nil)) }
        self.slots = slots
    }

    public var size: Int { slots.count }

    /// Lends a connection to `body`: the first free one in the pool's order when there is one, else
    /// waits for the next in turn. Lending the first free one keeps the work on the fewest
    /// connections: their server processes have the catalogs cached and the statements prepared
    /// (a cold one costs its first queries milliseconds each), and connections past what the
    /// load needs are never opened.
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) throws(PostgresError) -> T) throws(PostgresError) -> T {
        for slot in slots {
            if let outcome = slot.connection.withLockIfAvailable({ connection in Self.lend(&connection, conninfo, body) }) {
                return try outcome.get()
            }
        }
        let start = turn.add(1, ordering: .relaxed).oldValue
        return try slots[(start & Int.max) % slots.count].connection.withLock { connection in Self.lend(&connection, conninfo, body) }.get()
    }

    /// One connection (nil until first used, or after it could not be reopened) and its lock.
    private final class Slot: Sendable {
        let connection: Mutex<PostgresConnection?>

        init(_ connection: sending PostgresConnection?) {
            self.connection = Mutex(connection)
        }
    }

    /// Runs `body` on the slot's connection, opening or reopening it first when needed.
    private static func lend<T: Sendable>(
        _ connection: inout PostgresConnection?,
        _ conninfo: String,
        _ body: @Sendable (PostgresConnection) throws(PostgresError) -> T
    ) -> Result<T, PostgresError> {
        do {
            if let open = connection, !open.isUsable, !open.reconnect() { connection = nil }
            let current: PostgresConnection
            if let open = connection {
                current = open
            } else {
                current = try PostgresConnection(conninfo: conninfo)
                connection = current
            }
            return .success(try body(current))
        } catch {
            return .failure(error)
        }
    }
}
