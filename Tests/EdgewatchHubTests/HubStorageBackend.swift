import EdgewatchHub
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

    /// The backends this machine can run (PostgreSQL only where it is installed, or required).
    static var available: [HubStorageBackend] { PostgresServer.usable ? allCases : [.sqlite] }
}
