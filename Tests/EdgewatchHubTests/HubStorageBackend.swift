import EdgewatchHub
import EdgewatchPostgres
import EdgewatchSQLite
import Foundation
import TestServers

/// The storage backends every contract test runs against.
enum HubStorageBackend: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite
    case postgres

    var description: String { rawValue }

    /// Runs `body` on an empty store of this backend (a database file in a directory of its own,
    /// or a PostgreSQL started for the test), removed afterwards.
    func withStorage(_ body: (any HubStorage) throws -> Void) throws {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-hub-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try body(try SQLiteHubStorage(path: directory + "/hub.db"))
        case .postgres:
            guard PostgresServer.binaries != nil || PostgresServer.usable else { return }
            let server = try PostgresServer()
            defer { server.stop() }
            try body(try PostgresHubStorage(conninfo: server.url(), poolSize: 4))
        }
    }

    /// The same, with a way to run an SQL statement on the store's database (text both dialects
    /// read), to damage or inspect what the storage wrote.
    func withStorageAndSQL(_ body: (any HubStorage, _ execute: (String) throws -> Void) throws -> Void) throws {
        try withStores { open, execute in try body(try open(), execute) }
    }

    /// Runs `body` with a way to open stores on one empty database (the same SQLite file again,
    /// or another replica on a PostgreSQL started for the test) and to run SQL on it.
    func withStores(_ body: (_ open: () throws -> any HubStorage, _ execute: @escaping (String) throws -> Void) throws -> Void) throws {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("edgewatch-hub-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let database = try SQLiteDatabase(path: directory + "/hub.db")
            defer { database.close() }
            try body({ try SQLiteHubStorage(path: directory + "/hub.db") }, { try database.execute($0) })
        case .postgres:
            guard PostgresServer.binaries != nil || PostgresServer.usable else { return }
            let server = try PostgresServer()
            defer { server.stop() }
            let pool = try PostgresPool(conninfo: server.url(), size: 1)
            try body(
                { try PostgresHubStorage(conninfo: server.url(), poolSize: 4) },
                { sql in _ = try pool.withConnection { connection throws(PostgresError) in try connection.execute(sql) } }
            )
        }
    }

    /// Runs `body` with two stores on one database: the same SQLite store twice (it has one
    /// writer), or two PostgreSQL replicas.
    func withReplicas(_ body: (_ first: any HubStorage, _ second: any HubStorage) throws -> Void) throws {
        switch self {
        case .sqlite:
            try withStorage { storage in try body(storage, storage) }
        case .postgres:
            guard PostgresServer.binaries != nil || PostgresServer.usable else { return }
            let server = try PostgresServer()
            defer { server.stop() }
            try body(try PostgresHubStorage(conninfo: server.url(), poolSize: 2), try PostgresHubStorage(conninfo: server.url(), poolSize: 2))
        }
    }

    /// The backends this machine can run (PostgreSQL only where it is installed, or required).
    static var available: [HubStorageBackend] { PostgresServer.usable ? allCases : [.sqlite] }
}
