import Dispatch
import EdgewatchCore
import EdgewatchEncoding
import EdgewatchPostgres
import EdgewatchWire
import Synchronization
import TestServers
import Testing

@testable import EdgewatchHub

/// Replicas upgraded one at a time on one PostgreSQL: once an upgraded replica has migrated the
/// schema, the older ones store nothing and say so, and nothing they refused is lost.
@Suite(.enabled(if: PostgresServer.usable))
struct PostgresRollingUpgradeTests {
    static let window = PostgresReplicaTests.window

    func batch(_ minute: Int64) -> UplinkBatch {
        PostgresReplicaTests().batch(node: "a", sequence: Self.window + minute * 60_000, series: 5)
    }

    /// A newer hub: this one's migrations and one more.
    static let newer = PostgresHubSchema.all + ["CREATE TABLE upgraded(x int8)"]

    func points(_ storage: PostgresHubStorage) throws -> Int {
        try storage.select([try LabelMatcher(name: "__name__", operation: .matches, value: ".+")], start: 0, end: .max)
            .reduce(0) { $0 + $1.points.count }
    }

    /// The old replica's writes (ingest, upkeep, series tables, remote_write) are refused with both
    /// versions named, and its health says why; the upgraded replica stores what it refused,
    /// once; the old one stores again if the schema it knows comes back (a restore).
    @Test func anOldReplicaStoresNothingOnceANewerOneMigrated() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let old = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        try old.registerNode("a", secretHash: "h", at: 1)
        #expect(try old.ingest(batch(0), receivedAt: 1))
        #expect(try old.claimRemoteWrite(target: "prometheus"))
        #expect(old.writesRefused == nil)

        let upgraded = try PostgresHubStorage(conninfo: server.url(), poolSize: 2, migrations: Self.newer)
        let version = PostgresHubSchema.all.count + 1
        #expect {
            _ = try old.ingest(batch(1), receivedAt: 2)
        } throws: { error in
            "\(error)".contains("schema version \(version) but this hub knows \(version - 1)")
        }
        #expect(old.writesRefused?.contains("a newer edgewatch replica migrated it") == true)
        #expect(throws: PostgresError.self) { _ = try old.compact(now: Self.window + 86_400_000, budget: 10) }
        #expect(throws: PostgresError.self) { try old.keepSeriesTable(node: "a", hash: [1], table: [2], at: 3) }
        #expect(try !old.claimRemoteWrite(target: "prometheus"), "the old replica lets the target go")
        #expect(try upgraded.claimRemoteWrite(target: "prometheus"), "and the upgraded one takes it")

        #expect(try upgraded.ingest(batch(1), receivedAt: 4))
        #expect(try !upgraded.ingest(batch(0), receivedAt: 5))
        #expect(try points(upgraded) == 10)
        #expect(upgraded.writesRefused == nil)

        let pool = try PostgresPool(conninfo: server.url(), size: 1)
        try pool.withConnection { connection throws(PostgresError) in
            try connection.execute("DELETE FROM edgewatch_schema WHERE version = $1", [.int(Int64(version))])
        }
        #expect(try old.ingest(batch(2), receivedAt: 6))
        #expect(old.writesRefused == nil)
        #expect(try points(old) == 15)
    }

    /// A write queued behind a migration in progress waits for it and then sees its version, so
    /// no old replica's transaction commits between the migration and its check.
    @Test func aWriteWaitsOutAMigrationAndSeesIt() async throws {
        let server = try PostgresServer()
        defer { server.stop() }
        let old = try PostgresHubStorage(conninfo: server.url(), poolSize: 2)
        let migrating = try PostgresPool(conninfo: server.url(), size: 1)  // one session: the lock's
        func run(_ sql: String, _ parameters: [PostgresValue]) throws {
            try migrating.withConnection { connection throws(PostgresError) in _ = try connection.execute(sql, parameters) }
        }
        try run("SELECT pg_advisory_lock($1)", [.int(PostgresHubSchema.migrationLock)])
        let finished = Flag()
        let write = Task {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Bool, any Error>) in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { try old.ingest(batch(0), receivedAt: 1) })
                    finished.value.store(true, ordering: .sequentiallyConsistent)
                }
            }
        }
        try await Task.sleep(for: .milliseconds(400))
        let done = finished.value.load(ordering: .sequentiallyConsistent)
        #expect(!done, "the write waits for the migration")
        try run("INSERT INTO edgewatch_schema VALUES ($1, now())", [.int(Int64(PostgresHubSchema.all.count + 1))])
        try run("SELECT pg_advisory_unlock($1)", [.int(PostgresHubSchema.migrationLock)])
        await #expect(throws: PostgresError.self) { _ = try await write.value }
        #expect(old.writesRefused != nil)
    }

    /// A replica starting on an up-to-date schema does not take the migration lock, so it neither
    /// waits for the others' writes nor holds them up (here a write in flight holds the lock
    /// shared, and the start would fail at its lock timeout if it waited).
    @Test func aStartOnAnUpToDateSchemaTakesNoLock() throws {
        let server = try PostgresServer()
        defer { server.stop() }
        _ = try PostgresHubStorage(conninfo: server.url(), poolSize: 1)
        let writing = try PostgresPool(conninfo: server.url(), size: 1)
        func run(_ sql: String, _ parameters: [PostgresValue] = []) throws {
            try writing.withConnection { connection throws(PostgresError) in _ = try connection.execute(sql, parameters) }
        }
        try run("BEGIN")
        try run("SELECT pg_advisory_xact_lock_shared($1)", [.int(PostgresHubSchema.migrationLock)])
        let second = try PostgresHubStorage(conninfo: server.url() + "?options=-c%20lock_timeout%3D3000", poolSize: 1)
        #expect(second.writesRefused == nil)
        try run("ROLLBACK")
    }
}

/// Set once by another thread.
private final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
